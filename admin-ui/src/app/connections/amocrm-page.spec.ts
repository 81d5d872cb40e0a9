import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { METADATA, NOT_CONNECTED, connection, problem } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
  typeInto,
} from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import { authInterceptor } from '../core/auth/auth.interceptor';
import AmocrmPage from './amocrm-page';
import type { AmocrmConnection, AmocrmReconcileStatus, AmocrmWebhook } from '../core/amocrm/amocrm.models';
import { DEFAULT_REDIRECT_URI, OPEN_URL } from './open-url';

const WEBHOOK: AmocrmWebhook = {
  url: 'https://crm-sync.example.com/webhooks/amocrm/s3cr3t',
  events: null,
  registered: false,
  drift: { missing: [], unexpected: [], staleDestinations: [] },
  registrationUnknownReason: null,
  lastReceivedAt: null,
};

/** Subscribed here and registered in amoCRM: nothing missing. */
const SUBSCRIBED: AmocrmWebhook = {
  ...WEBHOOK,
  events: ['add_lead', 'update_lead'],
  registered: true,
  lastReceivedAt: '2026-03-05T10:00:00.000Z',
};

const NEVER_RECONCILED: AmocrmReconcileStatus = {
  lastRunAt: null,
  lastSuccessAt: null,
  since: null,
  contacts: null,
  leads: null,
  running: false,
  lastError: null,
};

const RECONCILED: AmocrmReconcileStatus = {
  lastRunAt: '2026-03-05T10:00:00.000Z',
  lastSuccessAt: '2026-03-05T10:00:02.000Z',
  since: '2026-03-05T09:48:00.000Z',
  contacts: { seen: 4, queued: 1, upToDate: 3 },
  leads: { seen: 7, queued: 2, upToDate: 5 },
  running: false,
  lastError: null,
};

describe('AmocrmPage', () => {
  let fixture: ComponentFixture<AmocrmPage>;
  let backend: HttpTestingController;
  let openUrl: ReturnType<typeof vi.fn>;

  async function render(
    answer: AmocrmConnection | 'forbidden',
    options: {
      role?: Role;
      query?: Record<string, string>;
      webhook?: AmocrmWebhook;
      reconcile?: AmocrmReconcileStatus;
    } = {},
  ): Promise<void> {
    const role = options.role ?? 'admin';
    localStorage.clear();
    storeSession(makeUser(role));
    openUrl = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
        { provide: OPEN_URL, useValue: openUrl },
        {
          provide: DEFAULT_REDIRECT_URI,
          useValue: 'https://console.example.com/api/v1/connections/amocrm/callback',
        },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AmocrmPage);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      fixture.componentRef.setInput(name, value);
    }
    await fixture.whenStable();
    const status = backend.expectOne({ method: 'GET', url: '/api/v1/connections/amocrm' });
    if (answer === 'forbidden') {
      status.flush(...problem(403, { title: 'Forbidden' }));
    } else {
      status.flush(answer);
    }
    await settle();
    for (const req of backend.match('/api/v1/connections/amocrm/metadata')) {
      req.flush(METADATA);
    }
    for (const req of backend.match('/api/v1/connections/amocrm/webhook')) {
      req.flush(options.webhook ?? WEBHOOK);
    }
    for (const req of backend.match('/api/v1/connections/amocrm/reconcile')) {
      req.flush(options.reconcile ?? NEVER_RECONCILED);
    }
    await settle();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function statusChip(): HTMLElement {
    return byTestId(fixture, 'amocrm-status');
  }

  it.each([
    ['connected', 'Подключена'],
    ['needs_reauth', 'Нужно подключить заново'],
    ['paused', 'Обмен остановлен'],
    ['not_connected', 'Не подключена'],
  ] as const)('shows the status %s as a chip', async (status, label) => {
    await render(
      status === 'not_connected'
        ? NOT_CONNECTED
        : connection({ status, pausedReason: status === 'paused' ? 'blocked' : null }),
      { webhook: SUBSCRIBED },
    );
    expect(text(statusChip())).toBe(label);
    expect(statusChip().getAttribute('data-degraded')).toBe('false');
    expect(statusChip().getAttribute('data-status')).toBe(status);
    expect(statusChip().classList).toContain(`is-${status}`);
  });

  it('shows the account, its address and the access expiry of a working connection', async () => {
    await render(connection());
    expect(text(byTestId(fixture, 'amocrm-account'))).toBe('ООО «Ромашка»');
    expect(text(byTestId(fixture, 'amocrm-account-subdomain'))).toBe('romashka');
    expect(text(byTestId(fixture, 'amocrm-token-expires'))).toContain('01.01.2027');
    expect(queryTestId(fixture, 'amocrm-resume')).toBeNull();
    // Working: the connect form only opens on request.
    expect(queryTestId(fixture, 'amocrm-connect')).toBeNull();
    byTestId(fixture, 'amocrm-change').click();
    await settle();
    expect(queryTestId(fixture, 'amocrm-connect')).not.toBeNull();
  });

  it.each([
    ['payment_required', 'Подписка amoCRM не оплачена'],
    ['blocked', 'amoCRM заблокировала доступ за превышение лимитов — обратитесь в поддержку amoCRM'],
    ['forbidden', 'amoCRM запретила доступ'],
  ] as const)('explains the pause reason %s in plain words', async (reason, words) => {
    await render(connection({ status: 'paused', pausedReason: reason, lastError: 'amoCRM answered 402' }));
    expect(text(byTestId(fixture, 'amocrm-paused-reason'))).toContain(words);
    expect(text(byTestId(fixture, 'amocrm-last-error'))).toBe('amoCRM answered 402');
  });

  it('resumes a paused connection', async () => {
    await render(connection({ status: 'paused', pausedReason: 'payment_required' }));
    byTestId(fixture, 'amocrm-resume').click();
    await settle();

    backend.expectOne({ method: 'POST', url: '/api/v1/connections/amocrm/resume' }).flush(connection());
    await settle();
    // Working again: the webhook card asks amoCRM about the subscription again.
    backend.expectOne('/api/v1/connections/amocrm/webhook').flush({ ...WEBHOOK, registered: true });
    await settle();

    expect(text(statusChip())).toBe('Подключена');
    expect(queryTestId(fixture, 'amocrm-paused-reason')).toBeNull();
    expect(snackBarText()).toContain('Обмен с amoCRM возобновлён.');
  });

  it('says when amoCRM still refuses after resuming, with the wait from Retry-After', async () => {
    await render(connection({ status: 'paused', pausedReason: 'blocked' }));
    byTestId(fixture, 'amocrm-resume').click();
    await settle();

    backend
      .expectOne({ method: 'POST', url: '/api/v1/connections/amocrm/resume' })
      .flush(...problem(503, { type: 'urn:problem-type:amocrm-paused' }, { 'Retry-After': '300' }));
    await settle();
    backend
      .expectOne('/api/v1/connections/amocrm')
      .flush(connection({ status: 'paused', pausedReason: 'blocked' }));
    await settle();

    expect(text(byTestId(fixture, 'amocrm-action-error'))).toBe(
      'amoCRM сейчас недоступна, попробуйте через 300 с',
    );
  });

  it('connects with a long-lived token: PUT with the subdomain and the token', async () => {
    await render(NOT_CONNECTED);
    byTestId(fixture, 'amocrm-connect-token-tab').click();
    await settle();

    typeInto(byTestId(fixture, 'amocrm-subdomain'), ' romashka ');
    typeInto(byTestId(fixture, 'amocrm-token'), 'a'.repeat(40));
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    const req = backend.expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' });
    expect(req.request.body).toEqual({ subdomain: 'romashka', longLivedToken: 'a'.repeat(40) });
    req.flush(connection());
    await settle();
    backend.expectOne('/api/v1/connections/amocrm/metadata').flush(METADATA);
    backend.expectOne('/api/v1/connections/amocrm/webhook').flush(WEBHOOK);
    await settle();

    // connected, but no webhook yet: amoCRM's changes do not arrive until it is subscribed
    expect(text(statusChip())).toBe('Работает с перебоями');
    expect(statusChip().getAttribute('data-status')).toBe('connected');
    expect(snackBarText()).toContain('amoCRM подключена: ООО «Ромашка».');
    expect(queryTestId(fixture, 'amocrm-connect')).toBeNull();
  });

  it('keeps the token form filled in and says when amoCRM is unavailable', async () => {
    await render(NOT_CONNECTED);
    byTestId(fixture, 'amocrm-connect-token-tab').click();
    await settle();
    typeInto(byTestId(fixture, 'amocrm-subdomain'), 'romashka');
    typeInto(byTestId(fixture, 'amocrm-token'), 'b'.repeat(40));
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    backend
      .expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' })
      .flush(...problem(503, { type: 'urn:problem-type:amocrm-unavailable' }, { 'Retry-After': '30' }));
    await settle();

    expect(text(byTestId(fixture, 'amocrm-connect-error'))).toContain(
      'amoCRM сейчас недоступна, попробуйте через 30 с',
    );
    expect((byTestId(fixture, 'amocrm-subdomain') as HTMLInputElement).value).toBe('romashka');
    expect((byTestId(fixture, 'amocrm-token') as HTMLTextAreaElement).value).toBe('b'.repeat(40));
  });

  it('puts the server’s field errors on the token form', async () => {
    await render(NOT_CONNECTED);
    byTestId(fixture, 'amocrm-connect-token-tab').click();
    await settle();
    typeInto(byTestId(fixture, 'amocrm-subdomain'), 'not a domain');
    typeInto(byTestId(fixture, 'amocrm-token'), 'c'.repeat(40));
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    backend.expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' }).flush(
      ...problem(400, {
        errors: [
          { field: 'subdomain', message: 'subdomain must look like mycompany.amocrm.ru', code: 'subdomain' },
        ],
      }),
    );
    await settle();

    expect(text(fixture.nativeElement as HTMLElement)).toContain(
      'subdomain must look like mycompany.amocrm.ru',
    );
    expect(queryTestId(fixture, 'amocrm-connect-error')).toBeNull();
  });

  it('saves an OAuth integration, then opens amoCRM’s consent page', async () => {
    await render(NOT_CONNECTED);
    expect((byTestId(fixture, 'amocrm-redirect-uri') as HTMLInputElement).value).toBe(
      'https://console.example.com/api/v1/connections/amocrm/callback',
    );
    typeInto(byTestId(fixture, 'amocrm-subdomain'), 'romashka');
    typeInto(byTestId(fixture, 'amocrm-client-id'), 'client-1');
    typeInto(byTestId(fixture, 'amocrm-client-secret'), 'secret-1');
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' });
    expect(put.request.body).toEqual({
      subdomain: 'romashka',
      clientId: 'client-1',
      clientSecret: 'secret-1',
      redirectUri: 'https://console.example.com/api/v1/connections/amocrm/callback',
    });
    put.flush(connection({ status: 'not_connected', authKind: 'oauth', clientId: 'client-1' }));
    await settle();
    backend
      .expectOne({ method: 'GET', url: '/api/v1/connections/amocrm/authorize-url' })
      .flush({ url: 'https://www.amocrm.ru/oauth?client_id=client-1&state=xyz' });
    await settle();

    expect(openUrl).toHaveBeenCalledWith('https://www.amocrm.ru/oauth?client_id=client-1&state=xyz');
  });

  it('tells the result of the consent page: connected', async () => {
    await render(connection({ authKind: 'oauth' }), { query: { connected: '1' } });
    expect(text(byTestId(fixture, 'amocrm-callback-message'))).toContain('amoCRM подключена.');
  });

  it('tells the result of the consent page: an error code in plain words', async () => {
    await render(NOT_CONNECTED, { query: { error: 'invalid_state' } });
    const message = text(byTestId(fixture, 'amocrm-callback-message'));
    expect(message).toContain('Не получилось подключить amoCRM');
    expect(message).toContain('Ссылка для подключения устарела или уже использована.');
  });

  it('disconnects only after confirmation', async () => {
    await render(connection());
    byTestId(fixture, 'amocrm-disconnect').click();
    await settle();
    expect(text(overlayTestId('confirm-ok'))).toBe('Отключить');
    overlayTestId('confirm-ok').click();
    await settle();

    backend.expectOne({ method: 'DELETE', url: '/api/v1/connections/amocrm' }).flush(null);
    await settle();
    backend.expectOne('/api/v1/connections/amocrm').flush(NOT_CONNECTED);
    await settle();
    backend.expectOne('/api/v1/connections/amocrm/webhook').flush(WEBHOOK);
    await settle();

    expect(text(statusChip())).toBe('Не подключена');
    expect(snackBarText()).toContain('amoCRM отключена.');
  });

  it('shows a manager the status without any buttons', async () => {
    await render(connection({ status: 'paused', pausedReason: 'payment_required' }), { role: 'manager' });
    expect(text(statusChip())).toBe('Обмен остановлен');
    expect(text(byTestId(fixture, 'amocrm-paused-reason'))).toContain('Подписка amoCRM не оплачена');
    expect(queryTestId(fixture, 'amocrm-resume')).toBeNull();
    expect(queryTestId(fixture, 'amocrm-connect')).toBeNull();
    expect(queryTestId(fixture, 'amocrm-webhook')).toBeNull();
    expect(text(byTestId(fixture, 'amocrm-read-only'))).toContain('только администратор');
  });

  it('explains to a viewer the server does not show them the connection, and still shows the metadata', async () => {
    await render('forbidden', { role: 'viewer' });
    expect(text(byTestId(fixture, 'amocrm-admin-only'))).toContain('только администратор');
    expect(queryTestId(fixture, 'amocrm-connect')).toBeNull();
    expect(byTestId(fixture, 'metadata-pipelines')).toBeTruthy();
  });

  it('browses the metadata: pipelines with stages coloured as in amoCRM', async () => {
    await render(connection());
    const pipelines = byTestId(fixture, 'metadata-pipelines');
    expect(text(pipelines)).toContain('Продажи');
    expect(text(pipelines)).toContain('основная');
    const chips = Array.from(pipelines.querySelectorAll<HTMLElement>('[data-testid="metadata-status-chip"]'));
    const negotiation = chips.find((chip) => text(chip) === 'Переговоры');
    expect(negotiation?.getAttribute('data-color')).toBe('#ffcc66');
  });

  it('subscribes the webhook to the ticked events and warns about drift', async () => {
    await render(connection(), {
      webhook: { ...WEBHOOK, drift: { missing: [], unexpected: ['note_lead'], staleDestinations: [] } },
    });
    expect(text(byTestId(fixture, 'amocrm-webhook-url'))).toBe(WEBHOOK.url);
    expect(text(byTestId(fixture, 'amocrm-webhook-drift'))).toContain('Приходят лишние: Примечание к сделке');

    byTestId(fixture, 'amocrm-webhook-event-delete_contact').querySelector('input')?.click();
    await settle();
    byTestId(fixture, 'amocrm-webhook-subscribe').click();
    await settle();

    const req: TestRequest = backend.expectOne({ method: 'POST', url: '/api/v1/connections/amocrm/webhook' });
    expect(req.request.body).toEqual({
      events: ['add_lead', 'update_lead', 'status_lead', 'delete_lead', 'add_contact', 'update_contact'],
    });
    req.flush({ ...WEBHOOK, events: req.request.body.events, registered: true });
    await settle();

    expect(text(byTestId(fixture, 'amocrm-webhook-registered'))).toContain(
      'amoCRM отправляет события на этот адрес',
    );
    expect(queryTestId(fixture, 'amocrm-webhook-drift')).toBeNull();
    expect(snackBarText()).toContain('Подписка сохранена.');
  });

  it('shows everyone the last reconciliation with amoCRM; only admins start one', async () => {
    await render(connection(), { role: 'manager', reconcile: RECONCILED });
    expect(text(byTestId(fixture, 'amocrm-reconcile-contacts'))).toBe('изменено в amoCRM: 4, догружено: 1');
    expect(text(byTestId(fixture, 'amocrm-reconcile-leads'))).toBe('изменено в amoCRM: 7, догружено: 2');
    expect(queryTestId(fixture, 'amocrm-reconcile-now')).toBeNull();
  });

  it('reconciles now: queues a pass, follows it until it ends and shows what it found', async () => {
    await render(connection());
    expect(queryTestId(fixture, 'amocrm-reconcile-never')).not.toBeNull();
    byTestId(fixture, 'amocrm-reconcile-now').click();
    await settle();

    backend
      .expectOne({ method: 'POST', url: '/api/v1/connections/amocrm/reconcile' })
      .flush({ queued: true });
    await settle();
    const poll = await vi.waitFor(() => backend.expectOne('/api/v1/connections/amocrm/reconcile'));
    expect(text(byTestId(fixture, 'amocrm-reconcile-running'))).toBe('Идёт сверка…');
    expect(byTestId(fixture, 'amocrm-reconcile-now').hasAttribute('disabled')).toBe(true);
    poll.flush(RECONCILED);
    await settle();

    expect(snackBarText()).toContain('Сверка запущена.');
    expect(queryTestId(fixture, 'amocrm-reconcile-running')).toBeNull();
    expect(text(byTestId(fixture, 'amocrm-reconcile-leads'))).toBe('изменено в amoCRM: 7, догружено: 2');
  });

  it('says why a reconciliation cannot start', async () => {
    await render(connection());
    byTestId(fixture, 'amocrm-reconcile-now').click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: '/api/v1/connections/amocrm/reconcile' })
      .flush(...problem(503, { type: 'urn:problem-type:amocrm-not-connected' }, { 'Retry-After': '300' }));
    await settle();
    expect(queryTestId(fixture, 'amocrm-reconcile-error')).not.toBeNull();
  });
});
