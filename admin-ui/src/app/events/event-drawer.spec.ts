import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { makeUser, registerIcons, storeSession, text } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import type { Role } from '../core/auth/auth.models';
import { openSideSheet } from '../shared/side-sheet';
import { EVENT_DRAWER_POLL_MS, EventDrawer, type EventDrawerData } from './event-drawer';
import { eventDetail } from './events.fixtures';
import { KNOWN_TRACE_NAMES, KNOWN_TRACE_REASONS } from './trace-text-known';
import { LANG_STORAGE_KEY } from '../core/i18n/i18n.service';

/** Latin words other than the product names (amoCRM, LPTracker) and ID. */
function englishWords(value: string): string[] {
  return (value.match(/[A-Za-z][A-Za-z-]*/g) ?? []).filter(
    (word) => !['amoCRM', 'LPTracker', 'ID', 'API'].includes(word),
  );
}
import type { EventDetail } from './events.models';

describe('EventDrawer', () => {
  let backend: HttpTestingController;

  async function open(role: Role, event: EventDetail = eventDetail()): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideNoMaterialAnimations(),
        { provide: EVENT_DRAWER_POLL_MS, useValue: 60_000 },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    openSideSheet<EventDrawer, EventDrawerData>(TestBed.inject(MatDialog), EventDrawer, { id: event.id });
    await settle();
    backend.expectOne(`/api/v1/events/${event.id}`).flush(event);
    await settle();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function all(testId: string): HTMLElement[] {
    return Array.from(
      document.querySelectorAll<HTMLElement>(`.cdk-overlay-container [data-testid="${testId}"]`),
    );
  }

  it('shows the summary, the last error and the form payload decoded, as is on request, with a copy button', async () => {
    await open('viewer');
    expect(text(overlayTestId('event-drawer-type'))).toBe('Сделка: смена этапа');
    expect(text(overlayTestId('event-drawer-status'))).toBe('ошибка');
    expect(text(overlayTestId('event-last-error-hint'))).toBe('В amoCRM произошёл сбой (код 500).');
    const folded = overlayTestId('event-last-error').querySelector('details');
    expect(folded?.open).toBe(false);
    expect(text(folded?.querySelector('summary') ?? null)).toBe('Текст ошибки');
    expect(text(folded?.querySelector('p') ?? null)).toBe('amoCRM answered 500');
    expect(text(overlayTestId('event-drawer-entities'))).toBe('31415926');

    const raw = overlayTestId('event-raw');
    expect(raw.dataset['kind']).toBe('form');
    expect(raw.textContent).toBe(
      'leads[status][0][id] = 31415926\nleads[status][0][status_id] = 142\naccount[subdomain] = demo',
    );
    const copy = vi.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
    overlayTestId('event-raw-copy').click();
    expect(copy).toHaveBeenCalledWith(raw.textContent);
    await settle();
    expect(snackBarText()).toContain('Скопировано.');

    overlayTestId('event-raw-toggle').click();
    await settle();
    expect(overlayTestId('event-raw').textContent).toBe(eventDetail().rawBody);

    expect(text(overlayTestId('event-headers'))).toContain('user-agent');
    expect(text(overlayTestId('event-changes'))).toContain('lead · status · 31415926');
  });

  it('pretty-prints a JSON payload', async () => {
    await open(
      'viewer',
      eventDetail({ contentType: 'application/json', rawBody: '{"changes":[{"id":"7"}]}' }),
    );
    expect(overlayTestId('event-raw').dataset['kind']).toBe('json');
    expect(overlayTestId('event-raw').textContent).toContain('"changes": [\n');
  });

  it('shows every run as a timeline of timed steps with their errors, newest run first', async () => {
    await open('viewer');
    const attempts = all('event-attempt');
    expect(attempts).toHaveLength(2);
    expect(text(attempts[0]?.querySelector('.attempt-head') ?? null)).toContain('Попытка 2');
    expect(text(attempts[0]?.querySelector('.attempt-head') ?? null)).toContain('ошибка');
    expect(text(attempts[0]?.querySelector('.attempt-head') ?? null)).toContain('автоповтор');
    expect(text(attempts[1]?.querySelector('.attempt-head') ?? null)).toContain('ошибка, будет повтор');

    const steps = Array.from(
      attempts[0]?.querySelectorAll<HTMLElement>('[data-testid="event-trace-step"]') ?? [],
    );
    expect(steps.map((step) => text(step.querySelector('.step-name')))).toEqual([
      'Разбор запроса',
      'Правила: сработало 2',
      'amoCRM: изменение сделки',
    ]);
    expect(text(steps[0]?.querySelector('.step-ms') ?? null)).toBe('0,8 мс');
    expect(steps[1]?.classList).toContain('step-note');
    expect(steps[2]?.dataset['ok']).toBe('false');
    expect(text(steps[2]?.querySelector('.step-error') ?? null)).toBe('В amoCRM произошёл сбой (код 500).');
    expect(text(steps[2]?.querySelector('.error-detail p') ?? null)).toBe('amoCRM answered 500');
    expect(text(attempts[0] ?? null)).toContain('наше же изменение');
    expect(all('event-trace-step')).toHaveLength(5);
  });

  it('shows the trace in Russian words: every step name, reason, key and the settings version', async () => {
    const names = KNOWN_TRACE_NAMES.map((name, index) => ({
      name,
      ok: true,
      ...(index % 2 ? { ms: 1 } : {}),
    }));
    const skipped = KNOWN_TRACE_REASONS.map((detail) => ({
      key: 'lead:update:31415926:1700000000',
      reason: 'filtered' as const,
      detail,
    }));
    const base = eventDetail();
    await open(
      'viewer',
      eventDetail({
        settingsVersion: 0,
        appliedSettingsVersion: 2,
        // errors as amoCRM / LPTracker wrote them: explained in Russian, their text kept only as a folded detail
        history: [
          {
            ...base.history[0],
            error: 'LptrackerApiError: LPTracker answered 404 to /lead: Project not found',
            settingsVersion: 0,
            steps: [
              ...names,
              { name: 'parse', ms: 1, ok: false, error: 'AmocrmApiError: amoCRM answered 404: Not found' },
            ],
            skipped,
          },
        ],
      }),
    );
    const folded = document.querySelectorAll('.cdk-overlay-container .error-detail');
    expect(folded).toHaveLength(3);
    folded.forEach((detail) => detail.remove());
    const trace = text(overlayTestId('event-trace'));
    expect(englishWords(trace)).toEqual([]);
    expect(trace).toContain('LPTracker отказался выполнить запрос (код 404)');
    expect(trace).toContain('amoCRM не нашёл запись (код 404)');
    expect(all('event-trace-step')).toHaveLength(KNOWN_TRACE_NAMES.length + 1);
    expect(trace).toContain('Проверка: не наше ли это изменение');
    expect(trace).toContain('сделка 31415926, изменение');
    expect(trace).toContain('настройки: исходные (ещё не менялись)');
    expect(text(overlayTestId('event-settings-version'))).toBe(
      'при получении — исходные (ещё не менялись), при обработке — версия 2',
    );
  });

  it('shows an unknown step in a generic Russian form, and the names as they came in English', async () => {
    const base = eventDetail();
    const event = eventDetail({
      history: [
        {
          ...base.history[0],
          error: undefined,
          steps: [
            { name: 'amoCRM: reticulate splines', ms: 2, ok: true },
            { name: 'frobnicate', ok: true },
          ],
        },
      ],
    });
    await open('viewer', event);
    expect(all('event-trace-step').map((step) => text(step.querySelector('.step-name')))).toEqual([
      'amoCRM: шаг обработки',
      'Заметка',
    ]);
    expect(text(overlayTestId('event-settings-version'))).toBe('версия 3');
    clearOverlays();
    backend.verify();
    TestBed.resetTestingModule();
    localStorage.setItem(LANG_STORAGE_KEY, 'en');
    storeSession(makeUser('viewer'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideNoMaterialAnimations(),
        { provide: EVENT_DRAWER_POLL_MS, useValue: 60_000 },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    openSideSheet<EventDrawer, EventDrawerData>(TestBed.inject(MatDialog), EventDrawer, { id: event.id });
    await settle();
    backend.expectOne(`/api/v1/events/${event.id}`).flush(event);
    await settle();
    expect(all('event-trace-step').map((step) => text(step.querySelector('.step-name')))).toEqual([
      'amoCRM: reticulate splines',
      'frobnicate',
    ]);
  });

  it('replays as received (the only choice until mappings exist): the body carries the mode', async () => {
    await open('manager');
    overlayTestId('event-replay').click();
    await settle();
    overlayTestId('event-replay-as-received').click();
    await settle();
    let req = backend.expectOne({ method: 'POST', url: '/api/v1/events/e-1/replay' });
    expect(req.request.body).toEqual({ mode: 'as_received' });
    req.flush({ id: 'e-1', status: 'queued' }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(snackBarText()).toContain('Событие поставлено в очередь на повтор.');
    backend.expectOne('/api/v1/events/e-1').flush(eventDetail({ status: 'done', lastError: null }));
    await settle();
    expect(text(overlayTestId('event-drawer-status'))).toBe('готово');
    expect(queryOverlayTestId('event-dismiss')).toBeNull();

    overlayTestId('event-replay').click();
    await settle();
    expect(queryOverlayTestId('event-replay-current')).toBeNull();
    overlayTestId('event-replay-as-received').click();
    await settle();
    req = backend.expectOne({ method: 'POST', url: '/api/v1/events/e-1/replay' });
    expect(req.request.body).toEqual({ mode: 'as_received' });
    req.flush(
      { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The event is queued' },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();
    expect(text(overlayTestId('event-action-error'))).toContain('Сейчас повторить нельзя');
  });

  it('dismisses a failed event after a confirmation', async () => {
    await open('admin');
    overlayTestId('event-dismiss').click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: '/api/v1/events/e-1/dismiss' })
      .flush(eventDetail({ status: 'dismissed' }));
    await settle();
    backend.expectOne('/api/v1/events/e-1').flush(eventDetail({ status: 'dismissed' }));
    await settle();
    expect(snackBarText()).toContain('Событие отклонено.');
    expect(text(overlayTestId('event-drawer-status'))).toBe('отклонено вручную');
  });

  it('does not replay an unfinished event or a duplicate, and says why', async () => {
    await open('manager', eventDetail({ status: 'skipped', skipReason: 'duplicate', lastError: null }));
    expect(overlayTestId('event-replay').hasAttribute('disabled')).toBe(true);
    expect(text(overlayTestId('event-replay-blocked'))).toContain('Это дубль');
  });

  it('shows viewers no buttons', async () => {
    await open('viewer');
    expect(queryOverlayTestId('event-actions')).toBeNull();
    expect(queryOverlayTestId('event-replay')).toBeNull();
    expect(queryOverlayTestId('event-dismiss')).toBeNull();
    expect(queryOverlayTestId('event-raw')).not.toBeNull();
    expect(queryOverlayTestId('event-trace')).not.toBeNull();
  });
});
