import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import type { Role } from '../app/core/auth/auth.models';
import { authInterceptor } from '../app/core/auth/auth.interceptor';
import type {
  AmocrmConnection,
  AmocrmReconcileStatus,
  AmocrmWebhook,
} from '../app/core/amocrm/amocrm.models';
import AmocrmPage from '../app/connections/amocrm-page';
import { DEFAULT_REDIRECT_URI, OPEN_URL } from '../app/connections/open-url';
import { METADATA, problem } from './amocrm-fixtures';
import { provideNoMaterialAnimations, settle } from './overlay-helpers';
import { makeUser, registerIcons, storeSession } from './test-helpers';

/** The amoCRM page specs: the answers the page loads with, and the page rendered for a role. */

export const WEBHOOK: AmocrmWebhook = {
  url: 'https://crm-sync.example.com/webhooks/amocrm/s3cr3t',
  events: null,
  registered: false,
  drift: { missing: [], unexpected: [], staleDestinations: [] },
  registrationUnknownReason: null,
  lastReceivedAt: null,
};

/** Subscribed here and registered in amoCRM: nothing missing. */
export const SUBSCRIBED: AmocrmWebhook = {
  ...WEBHOOK,
  events: ['add_lead', 'update_lead'],
  registered: true,
  lastReceivedAt: '2026-03-05T10:00:00.000Z',
};

export const NEVER_RECONCILED: AmocrmReconcileStatus = {
  lastRunAt: null,
  lastSuccessAt: null,
  since: null,
  contacts: null,
  leads: null,
  running: false,
  lastError: null,
};

export const RECONCILED: AmocrmReconcileStatus = {
  lastRunAt: '2026-03-05T10:00:00.000Z',
  lastSuccessAt: '2026-03-05T10:00:02.000Z',
  since: '2026-03-05T09:48:00.000Z',
  contacts: { seen: 4, queued: 1, upToDate: 3 },
  leads: { seen: 7, queued: 2, upToDate: 5 },
  running: false,
  lastError: null,
};

export interface AmocrmPageOptions {
  role?: Role;
  query?: Record<string, string>;
  webhook?: AmocrmWebhook;
  reconcile?: AmocrmReconcileStatus;
}

export interface RenderedAmocrmPage {
  fixture: ComponentFixture<AmocrmPage>;
  backend: HttpTestingController;
  openUrl: ReturnType<typeof vi.fn>;
}

/**
 * Renders the page for `role` (admin unless given) with the connection answer (or 403), then answers the
 * metadata, webhook and reconciliation requests it makes (WEBHOOK and NEVER_RECONCILED unless given).
 */
export async function renderAmocrmPage(
  answer: AmocrmConnection | 'forbidden',
  options: AmocrmPageOptions = {},
): Promise<RenderedAmocrmPage> {
  const role = options.role ?? 'admin';
  localStorage.clear();
  storeSession(makeUser(role));
  const openUrl = vi.fn();
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
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(AmocrmPage);
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
  return { fixture, backend, openUrl };
}
