import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { clearOverlays, overlayTestId, queryOverlayTestId, settle } from '../../testing/overlay-helpers';
import { byTestId, queryTestId, text, typeInto } from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import { FAILED, DUPLICATE, OTHER, configure, isList, params } from '../../testing/events-page-harness';
import EventsPage from './events-page';
import { eventDetail, eventPage } from './events.fixtures';
import type { EventListItem } from './events.models';

describe('EventsPage', () => {
  let fixture: ComponentFixture<EventsPage>;
  let backend: HttpTestingController;

  async function create(role: Role = 'manager'): Promise<void> {
    configure(role);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(EventsPage);
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function listRequest(): TestRequest {
    return backend.expectOne(isList);
  }

  async function answer(req: TestRequest, items: EventListItem[], total = items.length): Promise<void> {
    req.flush(eventPage(items, total));
    await settle();
  }

  function rows(): HTMLElement[] {
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="event-row"]'));
  }

  async function choose(selectTestId: string, optionTestId: string): Promise<void> {
    byTestId(fixture, selectTestId).click();
    await settle();
    overlayTestId(optionTestId).click();
    await settle();
  }

  it('shows the date with the time and the name of the deal or contact on each row', async () => {
    await create();
    await answer(listRequest(), [
      { ...FAILED, summary: { ...FAILED.summary, name: 'Заявка с сайта' } },
      DUPLICATE,
    ]);
    const [named, unnamed] = rows();
    expect(text(named?.querySelector('[data-testid="event-name"]') ?? null)).toBe('Заявка с сайта');
    expect(unnamed?.querySelector('[data-testid="event-name"]')).toBeNull();
    const received = new Date(FAILED.receivedAt);
    const day = String(received.getDate()).padStart(2, '0');
    const month = String(received.getMonth() + 1).padStart(2, '0');
    const time = text(named?.querySelector('.time') ?? null);
    expect(time).toContain(`${day}.${month}`);
    expect(time).toMatch(/\d{2}:\d{2}:\d{2}/);
  });

  it('lists events with coloured status chips in Russian, readable types, record ids and attempts', async () => {
    await create();
    const req = listRequest();
    expect(params(req)).toEqual({ page: '1', limit: '20' });
    await answer(req, [FAILED, DUPLICATE, OTHER]);

    const [failed, duplicate, other] = rows();
    expect(failed?.dataset['status']).toBe('failed');
    expect(failed?.dataset['id']).toBe('e-1');
    expect(text(failed?.querySelector('app-event-status-chip') ?? null)).toBe('ошибка');
    expect(text(failed ?? null)).toContain('Сделка: смена этапа');
    // the error in Russian words; the text as amoCRM wrote it in the tooltip
    const error = failed?.querySelector('[data-testid="event-row-error"]') ?? null;
    expect(text(error)).toBe('В amoCRM произошёл сбой (код 500).');
    expect(error?.getAttribute('title')).toBe('amoCRM answered 500');
    const ids = Array.from(failed?.querySelectorAll('[data-testid="event-entities"] .id') ?? []).map(text);
    expect(ids).toEqual(['31415926', '27182818']);
    expect(text(failed?.querySelector('[data-testid="event-attempts"]') ?? null)).toBe('3');

    expect(duplicate?.dataset['status']).toBe('skipped');
    expect(text(duplicate?.querySelector('app-event-status-chip') ?? null)).toBe('пропущено: дубль');
    expect(text(duplicate ?? null)).toContain('Контакт: изменение');
    expect(text(duplicate?.querySelector('[data-testid="event-entities"]') ?? null)).toBe('555');

    expect(text(other?.querySelector('app-event-status-chip') ?? null)).toBe('в очереди');
    expect(text(other ?? null)).toContain('call.finished');
    expect(text(other ?? null)).toContain('LPTracker');
  });

  it('sends the filters as query parameters, starts again at page 1 and puts them in the URL', async () => {
    await create();
    await answer(listRequest(), [FAILED], 45);

    await choose('events-filter-status', 'events-filter-status-failed');
    let req = listRequest();
    expect(params(req)).toEqual({ status: 'failed', page: '1', limit: '20' });
    await answer(req, [FAILED]);

    await choose('events-filter-source', 'events-filter-source-amocrm');
    req = listRequest();
    expect(params(req)).toEqual({ source: 'amocrm', status: 'failed', page: '1', limit: '20' });
    await answer(req, [FAILED]);

    await choose('events-filter-type', 'events-filter-type-leads.status');
    req = listRequest();
    expect(params(req)).toMatchObject({ type: 'leads.status' });
    await answer(req, [FAILED]);

    typeInto(byTestId(fixture, 'events-search'), ' 31415926 ');
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    req = listRequest();
    expect(params(req)).toEqual({
      source: 'amocrm',
      status: 'failed',
      type: 'leads.status',
      search: '31415926',
      page: '1',
      limit: '20',
    });
    await answer(req, []);
    expect(text(byTestId(fixture, 'events-empty'))).toBe('По этим условиям ничего не нашлось.');
    expect(TestBed.inject(Router).url).toBe(
      '/?status=failed&source=amocrm&type=leads.status&search=31415926',
    );

    byTestId(fixture, 'events-clear-filters').click();
    await settle();
    expect(params(listRequest())).toEqual({ page: '1', limit: '20' });
  });

  it('opened with ?status=failed, asks for failed events straight away', async () => {
    configure('viewer');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(EventsPage);
    fixture.componentRef.setInput('status', 'failed');
    await fixture.whenStable();
    const req = listRequest();
    expect(params(req)).toEqual({ status: 'failed', page: '1', limit: '20' });
    await answer(req, [FAILED]);
  });

  it('takes the filters from the URL (e.g. the dashboard link ?status=failed)', async () => {
    await create();
    await answer(listRequest(), [FAILED, OTHER]);

    fixture.componentRef.setInput('status', 'failed');
    fixture.componentRef.setInput('from', '2026-03-01');
    await settle();
    const req = listRequest();
    expect(params(req)).toEqual({
      status: 'failed',
      from: new Date(2026, 2, 1).toISOString(),
      page: '1',
      limit: '20',
    });
    await answer(req, [FAILED]);
    expect(text(byTestId(fixture, 'events-filter-status'))).toContain('ошибка');
  });

  it('exports with the filters from the URL and says in Russian when it fails', async () => {
    await create('viewer');
    await answer(listRequest(), [FAILED, OTHER]);
    fixture.componentRef.setInput('status', 'failed');
    fixture.componentRef.setInput('from', '2026-03-01');
    await settle();
    await answer(listRequest(), [FAILED]);

    await choose('events-export', 'events-export-xlsx');
    const req = backend.expectOne((r) => r.url === '/api/v1/events/export.xlsx');
    expect(params(req)).toEqual({ status: 'failed', from: new Date(2026, 2, 1).toISOString() });
    req.flush(new Blob(['']), { status: 503, statusText: 'Service Unavailable' });
    await new Promise((resolve) => setTimeout(resolve)); // the error body (a Blob) is read asynchronously
    await settle();
    expect(text(byTestId(fixture, 'events-export-error'))).toBe(
      'Не удалось выгрузить файл. Сервер временно недоступен. Попробуйте позже.',
    );
  });

  it('shows viewers no bulk replay button', async () => {
    await create('viewer');
    await answer(listRequest(), [FAILED]);
    expect(queryTestId(fixture, 'events-bulk-replay')).toBeNull();
  });

  it('confirms a bulk replay with the current filter (failed by default), then shows the count queued', async () => {
    await create('manager');
    await answer(listRequest(), [FAILED]);
    await choose('events-filter-source', 'events-filter-source-amocrm');
    await answer(listRequest(), [FAILED]);

    byTestId(fixture, 'events-bulk-replay').click();
    await settle();
    expect(text(overlayTestId('bulk-replay-filter-status'))).toBe('с ошибкой (статус в фильтре не выбран)');
    expect(text(overlayTestId('bulk-replay-filter-source'))).toBe('amoCRM');
    expect(text(overlayTestId('bulk-replay-filter-period'))).toBe('за всё время');

    expect(text(overlayTestId('bulk-replay-mode'))).toContain('Как получено');
    overlayTestId('bulk-replay-confirm').click();
    await settle();
    const req = backend.expectOne({ method: 'POST', url: '/api/v1/events/replay' });
    expect(req.request.body).toEqual({ filter: { source: 'amocrm' }, mode: 'as_received' });
    req.flush({ count: 3 }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(text(overlayTestId('bulk-replay-result'))).toBe(
      'Поставлено в очередь: 3. Они обработаются в фоне.',
    );

    overlayTestId('bulk-replay-done').click();
    await settle();
    expect(queryOverlayTestId('bulk-replay-dialog')).toBeNull();
    expect(params(listRequest())).toEqual({ source: 'amocrm', page: '1', limit: '20' });
  });

  it('does not offer a bulk replay of unfinished events', async () => {
    await create('admin');
    await answer(listRequest(), [OTHER]);
    await choose('events-filter-status', 'events-filter-status-queued');
    await answer(listRequest(), [OTHER]);

    byTestId(fixture, 'events-bulk-replay').click();
    await settle();
    expect(text(overlayTestId('bulk-replay-unfinished'))).toContain('«в очереди»');
    expect(overlayTestId('bulk-replay-confirm').hasAttribute('disabled')).toBe(true);
    overlayTestId('bulk-replay-cancel').click();
    await settle();
  });

  it('opens the event named by ?open= (a shared link)', async () => {
    await create('viewer');
    await answer(listRequest(), [FAILED]);
    fixture.componentRef.setInput('open', 'e-9');
    await settle();
    backend.expectOne('/api/v1/events/e-9').flush(eventDetail({ id: 'e-9' }));
    await settle();
    expect(queryOverlayTestId('event-drawer')).not.toBeNull();
    fixture.componentRef.setInput('open', undefined);
    await settle();
    expect(queryOverlayTestId('event-drawer')).toBeNull();
  });

  it('opens an event in the side sheet from its row and puts ?open= in the URL', async () => {
    await create('manager');
    await answer(listRequest(), [FAILED]);
    rows()[0]?.click();
    await settle();
    expect(queryOverlayTestId('event-drawer')).not.toBeNull();
    backend.expectOne('/api/v1/events/e-1').flush(eventDetail());
    await settle();
    expect(TestBed.inject(Router).url).toBe('/?open=e-1');
    expect(rows()[0]?.classList).toContain('selected');
  });

  it('sorts on the server by a clicked column header and keeps the order when the filters are cleared', async () => {
    await create();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await answer(listRequest(), [FAILED, OTHER]);

    byTestId(fixture, 'events-sort-status').click();
    await settle();
    const sorted = listRequest();
    expect(params(sorted)).toEqual({ sort: 'status', order: 'asc', page: '1', limit: '20' });
    await answer(sorted, [OTHER, FAILED]);
    expect(navigate).toHaveBeenLastCalledWith(
      [],
      expect.objectContaining({ queryParams: expect.objectContaining({ sort: 'status', order: 'asc' }) }),
    );
    expect(byTestId(fixture, 'events-sort-status').getAttribute('aria-sort')).toBe('ascending');
  });
});
