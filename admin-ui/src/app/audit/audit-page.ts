import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  InjectionToken,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { DateAdapter, MatOptgroup, MatOption, provideNativeDateAdapter } from '@angular/material/core';
import {
  MatDateRangeInput,
  MatDateRangePicker,
  MatDatepickerIntl,
  MatDatepickerToggle,
  MatEndDate,
  MatStartDate,
} from '@angular/material/datepicker';
import { MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
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
  MatRow,
  MatRowDef,
  MatTable,
} from '@angular/material/table';
import {
  type Observable,
  Subject,
  catchError,
  debounceTime,
  distinctUntilChanged,
  map,
  of,
  skip,
  startWith,
  switchMap,
} from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { AuditApi } from './audit-api';
import { AUDIT_ACTION_GROUPS, actionLabel, actorTypeLabel, auditDetails } from './audit-labels';
import type { AuditPage as AuditResult, AuditQuery } from './audit.models';
import { DayFirstDateAdapter } from './day-first-date-adapter';
import { I18nDatepickerIntl } from './i18n-datepicker-intl';

/** How long the filters wait for the user to stop typing before asking the server (ms). */
export const AUDIT_FILTER_DEBOUNCE_MS = new InjectionToken<number>('AUDIT_FILTER_DEBOUNCE_MS', {
  factory: () => 400,
});

export const AUDIT_PAGE_SIZES = [20, 50, 100] as const;

interface AuditFilters {
  start: Date | null;
  end: Date | null;
  actor: string;
  action: string;
}

type LoadState =
  { kind: 'loading' } | { kind: 'loaded'; result: AuditResult } | { kind: 'failed'; error: unknown };

/** The server query for the filters and page: whole local days, empty filters left out. */
export function auditQuery(filters: AuditFilters, pageIndex: number, pageSize: number): AuditQuery {
  const query: AuditQuery = { page: pageIndex + 1, limit: pageSize };
  if (filters.start) {
    const from = new Date(filters.start);
    from.setHours(0, 0, 0, 0);
    query.from = from.toISOString();
  }
  if (filters.end) {
    const to = new Date(filters.end);
    to.setHours(23, 59, 59, 999);
    query.to = to.toISOString();
  }
  const actor = filters.actor.trim();
  if (actor) {
    query.actor = actor;
  }
  if (filters.action) {
    query.action = filters.action;
  }
  return query;
}

/** The audit log (admins): newest first, paged on the server, filtered by period, actor and action. */
@Component({
  selector: 'app-audit-page',
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
    MatPaginator,
    MatFormField,
    MatLabel,
    MatHint,
    MatSuffix,
    MatInput,
    MatSelect,
    MatOption,
    MatOptgroup,
    MatDateRangeInput,
    MatStartDate,
    MatEndDate,
    MatDateRangePicker,
    MatDatepickerToggle,
    MatButton,
    MatIcon,
    MatProgressBar,
    LocalDatePipe,
    PageHeader,
    TranslatePipe,
  ],
  providers: [
    provideNativeDateAdapter(),
    { provide: DateAdapter, useClass: DayFirstDateAdapter },
    { provide: MatDatepickerIntl, useClass: I18nDatepickerIntl },
  ],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class AuditPage {
  private readonly api = inject(AuditApi);
  private readonly i18n = inject(I18nService);

  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() =>
    this.narrow() ? ['entry'] : ['at', 'actor', 'action', 'details', 'ip'],
  );
  protected readonly pageSizes = AUDIT_PAGE_SIZES;
  protected readonly actionGroups = AUDIT_ACTION_GROUPS;
  protected readonly filters = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
    actor: new FormControl('', { nonNullable: true }),
    action: new FormControl('', { nonNullable: true }),
  });
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal<number>(AUDIT_PAGE_SIZES[0]);
  private readonly filtered = signal(false);
  private readonly state = signal<LoadState>({ kind: 'loading' });
  private readonly requests = new Subject<AuditQuery>();

  protected readonly loading = computed(() => this.state().kind === 'loading');
  private readonly result = signal<AuditResult | null>(null);
  protected readonly total = computed(() => this.result()?.total ?? 0);
  protected readonly errorMessage = computed(() => {
    const state = this.state();
    return state.kind === 'failed'
      ? describeHttpError(state.error, (key, params) => this.i18n.t(key, params)).message
      : null;
  });
  protected readonly emptyText = computed(() =>
    this.filtered() ? this.i18n.t('audit.emptyFiltered') : this.i18n.t('audit.empty'),
  );
  /** The entries with their texts in the current language. */
  protected readonly rows = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    return (this.result()?.items ?? []).map((entry) => ({
      ...entry,
      actionText: actionLabel(entry.action, t),
      actorText: entry.actor ?? (entry.actorType === 'system' ? t('audit.system') : t('common.none')),
      actorTypeText: entry.actorType === 'system' ? null : actorTypeLabel(entry.actorType, t),
      detailList: auditDetails(entry.details, t),
    }));
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    const debounceMs = inject(AUDIT_FILTER_DEBOUNCE_MS);
    const dateAdapter = inject<DateAdapter<Date>>(DateAdapter);
    effect(() => dateAdapter.setLocale(this.i18n.locale()));

    this.requests
      .pipe(
        switchMap((query) => this.fetch(query)),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((state) => {
        this.state.set(state);
        if (state.kind === 'loaded') {
          this.result.set(state.result);
        }
      });

    // Only real changes of the query count: the date inputs also re-emit their value when the
    // language (date format) changes.
    const filterKey = (): string => JSON.stringify(auditQuery(this.filters.getRawValue(), 0, 0));
    this.filters.valueChanges
      .pipe(
        // Even at 0 this merges the bursts a single user action causes (the range inputs
        // report their two ends one after the other).
        debounceTime(debounceMs),
        map(filterKey),
        startWith(filterKey()),
        distinctUntilChanged(),
        skip(1),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(() => {
        this.pageIndex.set(0);
        this.load();
      });

    this.load();
  }

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

  protected load(): void {
    const filters = this.filters.getRawValue();
    const query = auditQuery(filters, this.pageIndex(), this.pageSize());
    this.filtered.set(Boolean(query.from ?? query.to ?? query.actor ?? query.action));
    this.requests.next(query);
  }

  protected onPage(event: PageEvent): void {
    this.pageIndex.set(event.pageSize === this.pageSize() ? event.pageIndex : 0);
    this.pageSize.set(event.pageSize);
    this.load();
  }

  /** The label of an action in the filter (follows the language: templates track the signal). */
  protected actionText(action: string): string {
    return actionLabel(action, this.i18n.t.bind(this.i18n));
  }

  protected clearFilters(): void {
    this.filters.reset({ start: null, end: null, actor: '', action: '' });
  }

  protected hasFilters(): boolean {
    const { start, end, actor, action } = this.filters.getRawValue();
    return Boolean(start ?? end ?? (actor.trim() || action));
  }

  private fetch(query: AuditQuery): Observable<LoadState> {
    this.state.set({ kind: 'loading' });
    return this.api.search(query).pipe(
      map((result): LoadState => ({ kind: 'loaded', result })),
      catchError((error: unknown) => of<LoadState>({ kind: 'failed', error })),
    );
  }
}
