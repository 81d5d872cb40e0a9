import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, InjectionToken, computed, inject, input } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatOptgroup, MatOption } from '@angular/material/core';
import {
  MatDateRangeInput,
  MatDateRangePicker,
  MatDatepickerToggle,
  MatEndDate,
  MatStartDate,
} from '@angular/material/datepicker';
import { MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
import { MatSort, MatSortHeader } from '@angular/material/sort';
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
import { debounceTime, map } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { datesFollowLanguage, provideLocalDatepicker } from '../shared/datepicker/local-datepicker';
import { pagedList } from '../shared/list/paged-list';
import { PAGE_SIZES } from '../shared/page';
import { AuditApi } from './audit-api';
import {
  AUDIT_ACTION_GROUPS,
  actionLabel,
  actorTypeLabel,
  auditDetails,
  unbrokenParts,
} from './audit-labels';
import type { AuditEntry, AuditPage as AuditResult, AuditQuery } from './audit.models';
import {
  type ServerSort,
  serverSortOf,
  sortFromUrl,
  sortParams,
  sortToUrl,
} from '../shared/list/server-sort';

/** How long the filters wait for the user to stop typing before asking the server (ms). */
export const AUDIT_FILTER_DEBOUNCE_MS = new InjectionToken<number>('AUDIT_FILTER_DEBOUNCE_MS', {
  factory: () => 400,
});

interface AuditFilters {
  start: Date | null;
  end: Date | null;
  actor: string;
  action: string;
  /** The order chosen by a column header (newest first when null); clearing the filters keeps it. */
  sort: ServerSort | null;
}

const NO_FILTERS: AuditFilters = { start: null, end: null, actor: '', action: '', sort: null };
/** The columns the server sorts the log by (`?sort=`). */
const AUDIT_SORTS = ['at', 'actor', 'action'] as const;

/** A local day as `2026-03-05` for the address. */
function dayParam(date: Date | null): string | null {
  if (!date) {
    return null;
  }
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `2026-03-05` from the address as a local day; anything else is no date. */
function dayFromParam(value: string | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!match) {
    return null;
  }
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The filters in the address (`?from=2026-03-01&actor=anna&action=auth.&page=2`), as Events keeps its own. */
export function auditFiltersToUrl(filters: AuditFilters): Record<string, string | null> {
  return {
    from: dayParam(filters.start),
    to: dayParam(filters.end),
    actor: filters.actor.trim() || null,
    action: filters.action || null,
    ...sortToUrl(filters.sort),
  };
}

export function auditFiltersFromUrl(params: {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  sort?: string;
  order?: string;
}): AuditFilters {
  return {
    start: dayFromParam(params.from),
    end: dayFromParam(params.to),
    actor: (params.actor ?? '').slice(0, 200),
    action: (params.action ?? '').slice(0, 100),
    sort: sortFromUrl(params.sort, params.order, AUDIT_SORTS),
  };
}

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
  return { ...query, ...sortParams(filters.sort) };
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
    MatSort,
    MatSortHeader,
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
  providers: [provideLocalDatepicker()],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class AuditPage {
  private readonly api = inject(AuditApi);

  /** Query parameters of the address (bound by the router). */
  readonly from = input<string>();
  readonly to = input<string>();
  readonly actor = input<string>();
  readonly action = input<string>();
  readonly page = input<string>();
  /** `?sort=<column>&order=asc|desc`: the order chosen by a column header. */
  readonly sort = input<string>();
  readonly order = input<string>();
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
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly actionGroups = AUDIT_ACTION_GROUPS;
  protected readonly filters = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
    actor: new FormControl('', { nonNullable: true }),
    action: new FormControl('', { nonNullable: true }),
  });
  protected readonly list = pagedList<AuditEntry, AuditFilters, AuditResult>({
    filters: NO_FILTERS,
    // Only real changes of the query count: the date inputs also re-emit their value when the
    // language (date format) changes.
    sameFilters: (a, b) => JSON.stringify(auditQuery(a, 0, 0)) === JSON.stringify(auditQuery(b, 0, 0)),
    load: ({ filters, page, limit }) => this.api.search(auditQuery(filters, page - 1, limit)),
    // Filters and page live in the address: a reload or a shared link shows the same entries.
    url: {
      read: () =>
        auditFiltersFromUrl({
          from: this.from(),
          to: this.to(),
          actor: this.actor(),
          action: this.action(),
          sort: this.sort(),
          order: this.order(),
        }),
      write: auditFiltersToUrl,
      page: () => {
        const page = Number(this.page());
        return Number.isInteger(page) && page > 0 ? page : null;
      },
      adopted: ({ start, end, actor, action }) =>
        this.filters.setValue({ start, end, actor, action }, { emitEvent: false }),
    },
  });
  private readonly filtered = computed(() => {
    const query = auditQuery(this.list.filters(), 0, 0);
    return Boolean(query.from ?? query.to ?? query.actor ?? query.action);
  });
  protected readonly emptyText = computed(() =>
    this.filtered() ? this.i18n.t('audit.emptyFiltered') : this.i18n.t('audit.empty'),
  );
  /** The entries with their texts in the current language. */
  protected readonly rows = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    return this.list.items().map((entry) => ({
      ...entry,
      actionText: actionLabel(entry.action, t),
      actorText: entry.actor ?? (entry.actorType === 'system' ? t('audit.system') : t('common.none')),
      actorTypeText: entry.actorType === 'system' ? null : actorTypeLabel(entry.actorType, t),
      detailList: auditDetails(entry.details, t),
    }));
  });

  constructor() {
    datesFollowLanguage();
    this.filters.valueChanges
      .pipe(
        // Even at 0 this merges the bursts a single user action causes (the range inputs
        // report their two ends one after the other).
        debounceTime(inject(AUDIT_FILTER_DEBOUNCE_MS)),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.list.setFilters(this.filters.getRawValue()));
  }

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

  /** Pieces of a text to keep whole (an e-mail breaks only before `@` and dots). */
  protected parts(text: string): string[] {
    return unbrokenParts(text);
  }

  /** The label of an action in the filter (follows the language: templates track the signal). */
  protected actionText(action: string): string {
    return actionLabel(action, this.i18n.t.bind(this.i18n));
  }

  protected clearFilters(): void {
    this.filters.reset({ start: null, end: null, actor: '', action: '' });
  }

  protected readonly serverSortOf = serverSortOf;

  protected hasFilters(): boolean {
    const { start, end, actor, action } = this.filters.getRawValue();
    return Boolean(start ?? end ?? (actor.trim() || action));
  }
}
