import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';

import {
  RECONCILED,
  SUBSCRIBED,
  WEBHOOK,
  renderAmocrmPage,
  type AmocrmPageOptions,
} from '../../testing/amocrm-page-harness';
import { NOT_CONNECTED, connection, problem } from '../../testing/amocrm-fixtures';
import { clearOverlays, overlayTestId, settle, snackBarText } from '../../testing/overlay-helpers';
import { byTestId, queryTestId, text } from '../../testing/test-helpers';
import type { AmocrmConnection } from '../core/amocrm/amocrm.models';
import type AmocrmPage from './amocrm-page';

/**
 * The amoCRM page: status, pause and resume, disconnecting, what managers and viewers see, metadata, webhook and
 * reconciliation. Connecting (token and OAuth forms, the consent page's result): amocrm-page-connect.spec.ts.
 */
describe('AmocrmPage', () => {
  let fixture: ComponentFixture<AmocrmPage>;
  let backend: HttpTestingController;

  async function render(
    answer: AmocrmConnection | 'forbidden',
    options: AmocrmPageOptions = {},
  ): Promise<void> {
    ({ fixture, backend } = await renderAmocrmPage(answer, options));
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
