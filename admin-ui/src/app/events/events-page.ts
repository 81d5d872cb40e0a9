import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  ElementRef,
  InjectionToken,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { DateAdapter, MatOption, provideNativeDateAdapter } from '@angular/material/core';
import {
  MatDateRangeInput,
  MatDateRangePicker,
  MatDatepickerIntl,
  MatDatepickerToggle,
  MatEndDate,
  MatStartDate,
} from '@angular/material/datepicker';
import { MatDialog, type MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatPaginator, type PageEvent } from '@angular/material/paginator';
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
import { MatTooltip } from '@angular/material/tooltip';
import { Router } from '@angular/router';
import {
  EMPTY,
  Subject,
  catchError,
  debounceTime,
  distinctUntilChanged,
  filter,
  map,
  merge,
  of,
  switchMap,
  timer,
} from 'rxjs';

import { DayFirstDateAdapter } from '../audit/day-first-date-adapter';
import { I18nDatepickerIntl } from '../audit/i18n-datepicker-intl';
import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { PAGE_SIZES } from '../shared/page';
import { SearchField } from '../shared/search-field';
import { openSideSheet } from '../shared/side-sheet';
import { BulkReplayDialog, type BulkReplayDialogData } from './bulk-replay-dialog';
import { EventDrawer, type EventDrawerData } from './event-drawer';
import {
  type EventFilters,
  NO_FILTERS,
  filtersFromUrl,
  filtersToUrl,
  hasFilters,
  listParams,
  sameFilters,
} from './event-filters';
import { eventTypeLabel, formatEventTime, sourceLabel, summaryEntityIds } from './event-labels';
import { EventStatusChip } from './event-status-chip';
import { EventsApi } from './events-api';
import { EVENT_STATUSES, type EventListItem, type EventPage, KNOWN_SOURCES } from './events.models';
import { pageVisible } from './page-visibility';

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

interface ListQuery {
  filters: EventFilters;
  page: number;
  limit: number;
  /** Bumped to load the same page again. */
  version: number;
}

/** A load the user asked for (spinner, errors replace the table) or a quiet refresh (keeps the rows). */
interface Load {
  query: ListQuery;
  quiet: boolean;
}
type Loaded = { quiet: boolean } & ({ page: EventPage } | { error: unknown });

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
    PageHeader,
    TranslatePipe,
    SearchField,
    EventStatusChip,
  ],
  providers: [
    provideNativeDateAdapter(),
    { provide: DateAdapter, useClass: DayFirstDateAdapter },
    { provide: MatDatepickerIntl, useClass: I18nDatepickerIntl },
  ],
  templateUrl: './events-page.html',
  styleUrl: './events-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class EventsPage {
  private readonly api = inject(EventsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly router = inject(Router);
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

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly statuses = EVENT_STATUSES;
  protected readonly canManage = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );

  protected readonly query = signal<ListQuery>({
    filters: NO_FILTERS,
    page: 1,
    limit: PAGE_SIZES[0] ?? 20,
    version: 0,
  });
  protected readonly searchText = signal('');
  private readonly searchInput = new Subject<string>();
  protected readonly period = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });

  /** Live refresh: on unless paused by the user, the tab is hidden or a side sheet/dialog is open. */
  protected readonly userPaused = signal(false);
  private readonly visible = pageVisible();
  private readonly dialogOpen = signal(false);
  protected readonly live = computed(() => this.visible() && !this.dialogOpen() && !this.userPaused());

  protected readonly loading = signal(true);
  /** The last quiet refresh failed: the rows shown are older than they look. */
  protected readonly stale = signal(false);
  private readonly result = signal<EventPage | null>(null);
  private readonly error = signal<unknown>(null);
  /** Rows that appeared with the last quiet refresh (highlighted briefly). */
  private readonly freshIds = signal<ReadonlySet<string>>(new Set());
  private readonly seenTypes = signal<ReadonlySet<string>>(new Set());
  private readonly seenSources = signal<ReadonlySet<string>>(new Set());
  protected readonly openId = signal<string | null>(null);

  private readonly table = viewChild('tableWrap', { read: ElementRef });

  protected readonly total = computed(() => this.result()?.total ?? 0);
  protected readonly totalCapped = computed(() => this.result()?.totalCapped === true);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });
  protected readonly filtered = computed(() => hasFilters(this.query().filters));

  protected readonly rows = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const locale = this.i18n.locale();
    const fresh = this.freshIds();
    const now = new Date();
    return (this.result()?.items ?? []).map((event) => {
      const ids = summaryEntityIds(event.summary);
      return {
        event,
        time: formatEventTime(event.receivedAt, locale, now),
        typeText: eventTypeLabel(event.type, t),
        sourceText: sourceLabel(event.source, t),
        ids: ids.slice(0, SHOWN_IDS),
        moreIds: Math.max(0, ids.length - SHOWN_IDS),
        fresh: fresh.has(event.id),
      };
    });
  });

  protected readonly sourceOptions = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const sources = new Set([...KNOWN_SOURCES, ...this.seenSources()]);
    const chosen = this.query().filters.source;
    if (chosen) {
      sources.add(chosen);
    }
    return [...sources].map((source) => ({ value: source, label: sourceLabel(source, t) }));
  });

  protected readonly typeOptions = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const types = new Set(this.seenTypes());
    const chosen = this.query().filters.type;
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

  private destroyed = false;
  private drawer: { id: string; ref: MatDialogRef<EventDrawer> } | null = null;

  constructor() {
    const destroyRef = inject(DestroyRef);
    // The URL decides the filters when it changes (a shared link, back/forward, the dashboard's link).
    // Registered first, so that the first request already carries them.
    effect(() => {
      const fromUrl = filtersFromUrl({
        source: this.source(),
        status: this.status(),
        type: this.type(),
        from: this.from(),
        to: this.to(),
        search: this.search(),
      });
      untracked(() => this.adoptUrlFilters(fromUrl));
    });
    const interval = inject(EVENTS_POLL_INTERVAL_MS);
    const dateAdapter = inject<DateAdapter<Date>>(DateAdapter);
    effect(() => dateAdapter.setLocale(this.i18n.locale()));

    // Which dialogs are open (the event's side sheet, a confirmation…): the list holds still meanwhile.
    merge(this.dialog.afterOpened, this.dialog.afterAllClosed)
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(() => this.dialogOpen.set(this.dialog.openDialogs.length > 0));

    const requested = toObservable(this.query).pipe(map((query): Load => ({ query, quiet: false })));
    // Every few seconds while live; at once when it comes back to life (tab shown, side sheet closed).
    const ticks = toObservable(this.live).pipe(
      switchMap((live, index) => (live ? timer(index === 0 ? interval : 0, interval) : EMPTY)),
      filter(() => !this.loading() && !this.selectingText()),
      map((): Load => ({ query: this.query(), quiet: true })),
    );
    merge(requested, ticks)
      .pipe(
        switchMap((load) => {
          if (!load.quiet) {
            this.loading.set(true);
          }
          return this.api.list(listParams(load.query.filters, load.query.page, load.query.limit)).pipe(
            map((page): Loaded => ({ quiet: load.quiet, page })),
            catchError((error: unknown) => of<Loaded>({ quiet: load.quiet, error })),
          );
        }),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((loaded) => this.apply(loaded));

    this.searchInput
      .pipe(debounceTime(inject(EVENTS_SEARCH_DEBOUNCE_MS)), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((search) => this.setFilters({ search: search.trim() }));
    // The two ends of the range are reported one after the other: wait for both.
    this.period.valueChanges
      .pipe(debounceTime(0), takeUntilDestroyed())
      .subscribe(({ start, end }) => this.setFilters({ start: start ?? null, end: end ?? null }));

    effect(() => {
      const id = this.open();
      untracked(() => this.syncDrawer(id ?? null));
    });
    destroyRef.onDestroy(() => {
      this.destroyed = true;
      this.drawer?.ref.close();
    });
  }

  /** Rows keep their DOM (and the user's scroll and selection) across refreshes. */
  protected readonly trackById = (_index: number, row: { event: EventListItem }): string => row.event.id;

  protected setSource(source: string | null): void {
    this.setFilters({ source });
  }

  protected setStatus(status: EventFilters['status']): void {
    this.setFilters({ status });
  }

  protected setType(type: string | null): void {
    this.setFilters({ type });
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
    this.searchInput.next(value);
  }

  protected clearFilters(): void {
    this.searchText.set('');
    this.searchInput.next('');
    this.period.setValue({ start: null, end: null }, { emitEvent: false });
    this.setFilters(NO_FILTERS);
  }

  protected onPage(event: PageEvent): void {
    this.query.update((query) => ({
      ...query,
      page: event.pageSize === query.limit ? event.pageIndex + 1 : 1,
      limit: event.pageSize,
    }));
  }

  protected reload(): void {
    this.query.update((query) => ({ ...query, version: query.version + 1 }));
  }

  protected toggleLive(): void {
    this.userPaused.update((paused) => !paused);
  }

  protected openEvent(event: EventListItem): void {
    this.showDrawer(event.id, event);
    void this.router.navigate([], { queryParams: { open: event.id }, queryParamsHandling: 'merge' });
  }

  protected openBulkReplay(): void {
    this.dialog
      .open<BulkReplayDialog, BulkReplayDialogData, number>(BulkReplayDialog, {
        data: { filters: this.query().filters },
        width: '560px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((count): count is number => typeof count === 'number' && count > 0))
      .subscribe(() => this.reload());
  }

  private apply(loaded: Loaded): void {
    if ('page' in loaded) {
      if (loaded.quiet) {
        const known = new Set((this.result()?.items ?? []).map((event) => event.id));
        this.freshIds.set(
          new Set(loaded.page.items.filter((event) => !known.has(event.id)).map((event) => event.id)),
        );
      } else {
        this.freshIds.set(new Set());
      }
      this.result.set(loaded.page);
      this.error.set(null);
      this.stale.set(false);
      this.remember(loaded.page.items);
    } else if (loaded.quiet && this.result() !== null) {
      this.stale.set(true);
    } else {
      this.error.set(loaded.error);
    }
    this.loading.set(false);
  }

  private remember(items: readonly EventListItem[]): void {
    const types = new Set(this.seenTypes());
    const sources = new Set(this.seenSources());
    const before = types.size + sources.size;
    for (const event of items) {
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

  private setFilters(changes: Partial<EventFilters>): void {
    const filters = { ...this.query().filters, ...changes };
    if (!sameFilters(filters, this.query().filters)) {
      this.query.update((query) => ({ ...query, filters, page: 1 }));
      void this.router.navigate([], {
        queryParams: filtersToUrl(filters),
        queryParamsHandling: 'merge',
        replaceUrl: true,
      });
    }
  }

  private adoptUrlFilters(filters: EventFilters): void {
    if (sameFilters(filters, this.query().filters)) {
      return;
    }
    this.query.update((query) => ({ ...query, filters, page: 1 }));
    this.searchText.set(filters.search);
    this.period.setValue({ start: filters.start, end: filters.end }, { emitEvent: false });
  }

  private syncDrawer(id: string | null): void {
    if (id === null) {
      this.drawer?.ref.close();
      return;
    }
    if (this.drawer?.id !== id) {
      this.showDrawer(
        id,
        this.result()?.items.find((event) => event.id === id),
      );
    }
  }

  private showDrawer(id: string, initial?: EventListItem): void {
    if (this.drawer?.id === id) {
      return;
    }
    this.drawer?.ref.close();
    const ref = openSideSheet<EventDrawer, EventDrawerData>(this.dialog, EventDrawer, {
      id,
      initial,
      open: (other) => {
        void this.router.navigate([], { queryParams: { open: other }, queryParamsHandling: 'merge' });
      },
    });
    ref.updateSize('720px', '100%');
    this.drawer = { id, ref };
    this.openId.set(id);
    ref.afterClosed().subscribe(() => {
      if (this.drawer?.ref === ref) {
        this.drawer = null;
        this.openId.set(null);
        // Closed by hand: drop `?open=` from the address. Not when a link in the drawer is leaving the page.
        if (!this.destroyed && this.router.currentNavigation() === null && this.open() === id) {
          void this.router.navigate([], {
            queryParams: { open: null },
            queryParamsHandling: 'merge',
            replaceUrl: true,
          });
        }
      }
    });
  }
}
