import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  InjectionToken,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatOption } from '@angular/material/core';
import {
  MatDateRangeInput,
  MatDateRangePicker,
  MatDatepickerToggle,
  MatEndDate,
  MatStartDate,
} from '@angular/material/datepicker';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
import {
  MatCell,
  MatCellDef,
  MatColumnDef,
  MatHeaderCell,
  MatHeaderCellDef,
  MatHeaderRow,
  MatHeaderRowDef,
  MatNoDataRow,
  MatRow,
  MatRowDef,
  MatTable,
} from '@angular/material/table';
import { MatSort, MatSortHeader } from '@angular/material/sort';
import { MatTooltip } from '@angular/material/tooltip';
import { EMPTY, debounceTime, filter, map, merge, switchMap, timer } from 'rxjs';

import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { pageVisible } from '../core/page-visibility';
import { PageHeader } from '../core/ui/page-header';
import { datesFollowLanguage, provideLocalDatepicker } from '../shared/datepicker/local-datepicker';
import { ExportButton } from '../shared/export/export-button';
import { pagedList } from '../shared/list/paged-list';
import { SearchBox } from '../shared/list/search-box';
import { urlDrawer } from '../shared/list/url-drawer';
import { PAGE_SIZES } from '../shared/page';
import { SearchField } from '../shared/search-field';
import { BulkReplayDialog, type BulkReplayDialogData } from './bulk-replay-dialog';
import { EventDrawer, type EventDrawerData } from './event-drawer';
import {
  type EventFilters,
  NO_FILTERS,
  filterParams,
  filtersFromUrl,
  filtersToUrl,
  hasFilters,
  listParams,
  sameFilters,
} from './event-filters';
import { eventTypeLabel, formatEventDateTime, sourceLabel, summaryEntityIds } from './event-labels';
import { EventStatusChip } from './event-status-chip';
import { EventsApi } from './events-api';
import { traceErrorText } from './trace-error-text';
import { EVENT_STATUSES, type EventListItem, type EventPage, KNOWN_SOURCES } from './events.models';
import { serverSortOf } from '../shared/list/server-sort';

/** How often the list refreshes itself while it is visible (ms). */
export const EVENTS_POLL_INTERVAL_MS = new InjectionToken<number>('EVENTS_POLL_INTERVAL_MS', {
  factory: () => 4_000,
});

/** Typing pauses this long before the search is sent (0 in tests). */
export const EVENTS_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('EVENTS_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

const ALL_COLUMNS = ['received', 'status', 'type', 'source', 'entities', 'attempts'] as const;
/** On narrow screens one column holds everything, as a compact card per event. */
const NARROW_COLUMNS = ['event'] as const;
/** Entity ids shown in a row; the rest are counted. */
const SHOWN_IDS = 3;

/**
 * `/events`: every webhook received, newest first, refreshed every few seconds while the tab is
 * visible and no side sheet or dialog is open. Filters live in the URL (`?status=failed`), and
 * `?open=<id>` opens an event in a side sheet with its payload, trace and actions.
 */
@Component({
  selector: 'app-events-page',
  imports: [
    ReactiveFormsModule,
    MatTable,
    MatColumnDef,
    MatHeaderCell,
    MatHeaderCellDef,
    MatCell,
    MatCellDef,
    MatHeaderRow,
    MatHeaderRowDef,
    MatRow,
    MatRowDef,
    MatNoDataRow,
    MatPaginator,
    MatProgressBar,
    MatFormField,
    MatLabel,
    MatHint,
    MatSuffix,
    MatSelect,
    MatOption,
    MatDateRangeInput,
    MatStartDate,
    MatEndDate,
    MatDateRangePicker,
    MatDatepickerToggle,
    MatButton,
    MatIcon,
    MatTooltip,
    MatSort,
    MatSortHeader,
    PageHeader,
    TranslatePipe,
    SearchField,
    EventStatusChip,
    ExportButton,
  ],
  providers: [provideLocalDatepicker()],
  templateUrl: './events-page.html',
  styleUrl: './events-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class EventsPage {
  private readonly api = inject(EventsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly document = inject(DOCUMENT);

  /** `?open=<event id>`: the event shown in the side sheet. */
  readonly open = input<string>();
  /** The filters in the URL (`?source=amocrm&status=failed&type=…&from=2026-11-01&to=…&search=…`). */
  readonly source = input<string>();
  readonly status = input<string>();
  readonly type = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly search = input<string>();
  /** `?sort=<column>&order=asc|desc`: the order chosen by a column header. */
  readonly sort = input<string>();
  readonly order = input<string>();

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly statuses = EVENT_STATUSES;
  protected readonly canManage = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );

  protected readonly period = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  /** Rows that appeared with the last quiet refresh (highlighted briefly). */
  private readonly freshIds = signal<ReadonlySet<string>>(new Set());
  private readonly seenTypes = signal<ReadonlySet<string>>(new Set());
  private readonly seenSources = signal<ReadonlySet<string>>(new Set());

  protected readonly list = pagedList<EventListItem, EventFilters, EventPage>({
    filters: NO_FILTERS,
    sameFilters,
    load: ({ filters, page, limit }) => this.api.list(listParams(filters, page, limit)),
    loaded: (page, quiet, previous) => this.arrived(page, quiet, previous),
    // The URL decides the filters when it changes (a shared link, back/forward, the dashboard's link).
    url: {
      read: () =>
        filtersFromUrl({
          source: this.source(),
          status: this.status(),
          type: this.type(),
          from: this.from(),
          to: this.to(),
          search: this.search(),
          sort: this.sort(),
          order: this.order(),
        }),
      write: filtersToUrl,
      adopted: (filters) => {
        this.searchBox.show(filters.search);
        this.period.setValue({ start: filters.start, end: filters.end }, { emitEvent: false });
      },
    },
  });
  /** The export downloads what the list shows now. */
  protected readonly exportParams = computed(() => ({ ...filterParams(this.list.filters()) }));
  protected readonly searchBox = new SearchBox(inject(EVENTS_SEARCH_DEBOUNCE_MS), (search) =>
    this.list.setFilters({ search }),
  );
  protected readonly drawer = urlDrawer<EventDrawer, EventDrawerData, EventListItem>({
    open: this.open,
    component: EventDrawer,
    width: '720px',
    find: (id) => this.list.items().find((event) => event.id === id),
    data: (id, initial) => ({ id, initial, open: (other) => this.drawer.navigate(other) }),
  });

  /** Live refresh: on unless paused by the user, the tab is hidden or a side sheet/dialog is open. */
  protected readonly userPaused = signal(false);
  private readonly visible = pageVisible();
  private readonly dialogOpen = signal(false);
  protected readonly live = computed(() => this.visible() && !this.dialogOpen() && !this.userPaused());

  private readonly table = viewChild('tableWrap', { read: ElementRef });

  protected readonly totalCapped = computed(() => this.list.result()?.totalCapped === true);
  protected readonly filtered = computed(() => hasFilters(this.list.filters()));

  protected readonly rows = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const locale = this.i18n.locale();
    const fresh = this.freshIds();
    const russian = this.i18n.lang() === 'ru';
    const now = new Date();
    return this.list.items().map((event) => {
      const ids = summaryEntityIds(event.summary);
      return {
        event,
        time: formatEventDateTime(event.receivedAt, locale, now),
        name: typeof event.summary['name'] === 'string' ? event.summary['name'] : null,
        typeText: eventTypeLabel(event.type, t),
        sourceText: sourceLabel(event.source, t),
        ids: ids.slice(0, SHOWN_IDS),
        moreIds: Math.max(0, ids.length - SHOWN_IDS),
        fresh: fresh.has(event.id),
        // a failed event's error in Russian words (the text as written stays in the tooltip and the trace)
        errorText:
          event.lastError && event.status === 'failed'
            ? russian
              ? traceErrorText(event.lastError)
              : event.lastError
            : null,
      };
    });
  });

  protected readonly sourceOptions = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const sources = new Set([...KNOWN_SOURCES, ...this.seenSources()]);
    const chosen = this.list.filters().source;
    if (chosen) {
      sources.add(chosen);
    }
    return [...sources].map((source) => ({ value: source, label: sourceLabel(source, t) }));
  });

  protected readonly typeOptions = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const types = new Set(this.seenTypes());
    const chosen = this.list.filters().type;
    if (chosen) {
      types.add(chosen);
    }
    return [...types]
      .map((type) => ({ value: type, label: eventTypeLabel(type, t) }))
      .sort((a, b) => a.label.localeCompare(b.label, this.i18n.locale()));
  });

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.narrow() ? NARROW_COLUMNS : ALL_COLUMNS));

  constructor() {
    const interval = inject(EVENTS_POLL_INTERVAL_MS);
    datesFollowLanguage();

    // Which dialogs are open (the event's side sheet, a confirmation…): the list holds still meanwhile.
    merge(this.dialog.afterOpened, this.dialog.afterAllClosed)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.dialogOpen.set(this.dialog.openDialogs.length > 0));

    // Every few seconds while live; at once when it comes back to life (tab shown, side sheet closed).
    toObservable(this.live)
      .pipe(
        switchMap((live, index) => (live ? timer(index === 0 ? interval : 0, interval) : EMPTY)),
        filter(() => !this.list.loading() && !this.selectingText()),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.list.refreshQuietly());

    // The two ends of the range are reported one after the other: wait for both.
    this.period.valueChanges
      .pipe(debounceTime(0), takeUntilDestroyed())
      .subscribe(({ start, end }) => this.list.setFilters({ start: start ?? null, end: end ?? null }));
  }

  /** Rows keep their DOM (and the user's scroll and selection) across refreshes. */
  protected readonly trackById = (_index: number, row: { event: EventListItem }): string => row.event.id;

  protected setSource(source: string | null): void {
    this.list.setFilters({ source });
  }

  protected setStatus(status: EventFilters['status']): void {
    this.list.setFilters({ status });
  }

  protected setType(type: string | null): void {
    this.list.setFilters({ type });
  }

  protected readonly serverSortOf = serverSortOf;

  protected clearFilters(): void {
    this.searchBox.clear();
    this.period.setValue({ start: null, end: null }, { emitEvent: false });
    this.list.setFilters({ ...NO_FILTERS, sort: this.list.filters().sort });
  }

  protected toggleLive(): void {
    this.userPaused.update((paused) => !paused);
  }

  protected openEvent(event: EventListItem): void {
    this.drawer.show(event.id, event);
  }

  protected openBulkReplay(): void {
    this.dialog
      .open<BulkReplayDialog, BulkReplayDialogData, number>(BulkReplayDialog, {
        data: { filters: this.list.filters() },
        width: '560px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((count): count is number => typeof count === 'number' && count > 0))
      .subscribe(() => this.list.reload());
  }

  /** A page arrived: new rows of a quiet refresh are highlighted; types and sources seen fill the filters. */
  private arrived(page: EventPage, quiet: boolean, previous: EventPage | null): void {
    const known = new Set((previous?.items ?? []).map((event) => event.id));
    this.freshIds.set(
      quiet
        ? new Set(page.items.filter((event) => !known.has(event.id)).map((event) => event.id))
        : new Set(),
    );
    const types = new Set(this.seenTypes());
    const sources = new Set(this.seenSources());
    const before = types.size + sources.size;
    for (const event of page.items) {
      types.add(event.type);
      sources.add(event.source);
    }
    if (types.size + sources.size !== before) {
      this.seenTypes.set(types);
      this.seenSources.set(sources);
    }
  }

  /** True while the user is selecting text in the table: a refresh then waits. */
  private selectingText(): boolean {
    const selection = this.document.getSelection?.();
    const table = this.table()?.nativeElement as HTMLElement | undefined;
    return (
      !!selection &&
      !selection.isCollapsed &&
      !!table &&
      !!selection.anchorNode &&
      table.contains(selection.anchorNode)
    );
  }
}
