import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { clearOverlays } from '../../testing/overlay-helpers';
import { byTestId } from '../../testing/test-helpers';
import { FAILED, configure, isList, params } from '../../testing/events-page-harness';
import EventsPage from './events-page';
import { eventDetail, eventItem, eventPage } from './events.fixtures';

describe('EventsPage live refresh', () => {
  let visibility: DocumentVisibilityState = 'visible';

  beforeEach(() => {
    visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
    // Back to jsdom's own property.
    delete (document as { visibilityState?: unknown }).visibilityState;
    clearOverlays();
  });

  function setVisibility(state: DocumentVisibilityState): void {
    visibility = state;
    document.dispatchEvent(new Event('visibilitychange'));
  }

  it('refreshes every 4 seconds, stops while the tab is hidden and refreshes at once when it is back', () => {
    configure('viewer', 4_000);
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(EventsPage);
    TestBed.tick();
    backend.expectOne(isList).flush(eventPage([FAILED]));
    TestBed.tick();

    vi.advanceTimersByTime(3_900);
    backend.expectNone(isList);
    vi.advanceTimersByTime(100);
    const quiet = backend.expectOne(isList);
    expect(params(quiet)).toEqual({ page: '1', limit: '20' });
    quiet.flush(eventPage([eventItem({ id: 'e-new' }), FAILED]));
    TestBed.tick();
    const rows = (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(
      '[data-testid="event-row"]',
    );
    expect(rows[0]?.dataset['id']).toBe('e-new');
    expect(rows[0]?.classList).toContain('fresh');
    expect(byTestId(fixture, 'events-live-toggle').dataset['live']).toBe('true');

    setVisibility('hidden');
    TestBed.tick();
    vi.advanceTimersByTime(20_000);
    backend.expectNone(isList);
    expect(byTestId(fixture, 'events-live-toggle').dataset['live']).toBe('false');

    setVisibility('visible');
    TestBed.tick();
    vi.advanceTimersByTime(0);
    backend.expectOne(isList).flush(eventPage([FAILED]));
    TestBed.tick();
    vi.advanceTimersByTime(4_000);
    backend.expectOne(isList).flush(eventPage([FAILED]));

    fixture.destroy();
    vi.advanceTimersByTime(20_000);
    backend.expectNone(isList);
    backend.verify();
  });

  it('holds still while the user paused it or a side sheet is open', () => {
    configure('viewer', 4_000);
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(EventsPage);
    TestBed.tick();
    backend.expectOne(isList).flush(eventPage([FAILED]));
    TestBed.tick();

    byTestId(fixture, 'events-live-toggle').click();
    TestBed.tick();
    vi.advanceTimersByTime(20_000);
    backend.expectNone(isList);
    byTestId(fixture, 'events-live-toggle').click();
    TestBed.tick();
    vi.advanceTimersByTime(0);
    backend.expectOne(isList).flush(eventPage([FAILED]));
    TestBed.tick();

    byTestId(fixture, 'event-open').click();
    TestBed.tick();
    backend.expectOne('/api/v1/events/e-1').flush(eventDetail());
    TestBed.tick();
    vi.advanceTimersByTime(20_000);
    backend.expectNone(isList);

    fixture.destroy();
    backend.verify();
  });
});
