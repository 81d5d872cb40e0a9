import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { METADATA, connection } from '../../testing/amocrm-fixtures';
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
} from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import type { AmocrmConnection, AmocrmWebhook } from '../core/amocrm/amocrm.models';
import AmocrmPage from './amocrm-page';

/** Subscribed here and registered in amoCRM: nothing missing. */
const SUBSCRIBED: AmocrmWebhook = {
  url: 'https://crm-sync.example.com/webhooks/amocrm/s3cr3t',
  events: ['add_lead', 'update_lead'],
  registered: true,
  drift: { missing: [], unexpected: [], staleDestinations: [] },
  registrationUnknownReason: null,
  lastReceivedAt: '2026-03-05T10:00:00.000Z',
};

/** The amoCRM page while the webhook is missing: the confirmation, the degraded status, the unreachable URL. */
describe('AmocrmPage: webhooks missing', () => {
  let fixture: ComponentFixture<AmocrmPage>;
  let backend: HttpTestingController;

  async function render(answer: AmocrmConnection, options: { webhook: AmocrmWebhook }): Promise<void> {
    localStorage.clear();
    storeSession(makeUser('admin'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AmocrmPage);
    await fixture.whenStable();
    backend.expectOne({ method: 'GET', url: '/api/v1/connections/amocrm' }).flush(answer);
    await settle();
    for (const req of backend.match('/api/v1/connections/amocrm/metadata')) {
      req.flush(METADATA);
    }
    for (const req of backend.match('/api/v1/connections/amocrm/webhook')) {
      req.flush(options.webhook);
    }
    for (const req of backend.match('/api/v1/connections/amocrm/reconcile')) {
      req.flush({
        lastRunAt: null,
        lastSuccessAt: null,
        since: null,
        contacts: null,
        leads: null,
        running: false,
        lastError: null,
      });
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

  it('unsubscribes only after a confirmation, then shows the connection as degraded', async () => {
    await render(connection(), { webhook: SUBSCRIBED });
    expect(text(statusChip())).toBe('Подключена');
    expect(queryTestId(fixture, 'amocrm-degraded')).toBeNull();

    // cancelled: nothing is sent
    byTestId(fixture, 'amocrm-webhook-unsubscribe').click();
    await settle();
    expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain('Отписаться от вебхука?');
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone({ method: 'DELETE', url: '/api/v1/connections/amocrm/webhook' });

    byTestId(fixture, 'amocrm-webhook-unsubscribe').click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/connections/amocrm/webhook' })
      .flush({ ...SUBSCRIBED, events: null, registered: false });
    await settle();

    expect(text(statusChip())).toBe('Работает с перебоями');
    expect(statusChip().getAttribute('data-degraded')).toBe('true');
    expect(text(byTestId(fixture, 'amocrm-degraded'))).toContain('amoCRM не присылает изменения');
    expect(snackBarText()).toContain('Подписка удалена.');
  });

  it('shows as degraded when events we subscribed are missing in amoCRM', async () => {
    await render(connection(), {
      webhook: { ...SUBSCRIBED, drift: { missing: ['add_lead'], unexpected: [], staleDestinations: [] } },
    });
    expect(statusChip().getAttribute('data-degraded')).toBe('true');
  });

  it.each([
    ['http://localhost:3000/webhooks/amocrm/s', true],
    ['http://127.0.0.1:3000/webhooks/amocrm/s', true],
    ['http://192.168.1.20/webhooks/amocrm/s', true],
    ['http://10.0.0.5/webhooks/amocrm/s', true],
    ['http://172.20.0.2/webhooks/amocrm/s', true],
    ['http://[::1]:3000/webhooks/amocrm/s', true],
    ['http://crm.local/webhooks/amocrm/s', true],
    ['https://crm-sync.example.com/webhooks/amocrm/s', false],
    ['https://172.32.0.1/webhooks/amocrm/s', false],
  ] as const)('warns that amoCRM cannot reach %s: %s', async (url, warned) => {
    await render(connection(), { webhook: { ...SUBSCRIBED, url } });
    expect(queryTestId(fixture, 'amocrm-webhook-unreachable') !== null).toBe(warned);
    if (warned) {
      expect(text(byTestId(fixture, 'amocrm-webhook-unreachable'))).toContain('PUBLIC_URL');
    }
  });
});
