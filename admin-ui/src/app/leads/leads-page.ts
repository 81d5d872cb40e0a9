import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  InjectionToken,
  computed,
  inject,
  input,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSort, MatSortHeader } from '@angular/material/sort';
import { MatOption, MatSelect } from '@angular/material/select';
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
import { RouterLink } from '@angular/router';
import { filter, map } from 'rxjs';

import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { AuthService } from '../core/auth/auth.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { LeadStatusChip } from '../shared/lead-status-chip';
import { ExportButton } from '../shared/export/export-button';
import { type PagedList, pagedList } from '../shared/list/paged-list';
import {
  type ServerSort,
  serverSortOf,
  sortFromUrl,
  sortParams,
  sortToUrl,
} from '../shared/list/server-sort';
import { SearchBox } from '../shared/list/search-box';
import { urlDrawer } from '../shared/list/url-drawer';
import { PAGE_SIZES, queryText } from '../shared/page';
import { ContactNames } from '../shared/records/contact-names';
import { LeadsApi } from '../shared/records/leads-api';
import type { FoundOrCreatedLead, Lead } from '../shared/records/leads.models';
import { RublesPipe } from '../shared/rubles.pipe';
import { SearchField } from '../shared/search-field';
import { LeadCreateDialog } from './lead-create-dialog';
import { LeadDrawer, type LeadDrawerData } from './lead-drawer';

const ALL_COLUMNS = ['name', 'status', 'price', 'contact', 'created'] as const;
/** On narrow screens the stage and the contact move under the name. */
const NARROW_COLUMNS = ['name', 'price'] as const;

/** Typing pauses this long before the search is sent (0 in tests). */
export const LEADS_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('LEADS_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

interface LeadFilters {
  search: string;
  pipelineId: number | null;
  statusId: number | null;
  sort: ServerSort | null;
}
/** The columns the server sorts by (`?sort=`), by their API names. */
const SORTS = ['name', 'status', 'price', 'createdAt'] as const;

/**
 * `/leads`: the leads of the workspace, paged by the server (newest first), searched by name and
 * filtered by pipeline and stage (from the amoCRM metadata). Stages are chips coloured like in
 * amoCRM; a row opens the lead in a side sheet (`?open=<id>` too), where managers change its stage.
 */
@Component({
  selector: 'app-leads-page',
  imports: [
    RouterLink,
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
    MatSelect,
    MatOption,
    MatButton,
    MatIcon,
    MatTooltip,
    MatSort,
    MatSortHeader,
    LocalDatePipe,
    RublesPipe,
    PageHeader,
    TranslatePipe,
    SearchField,
    LeadStatusChip,
    ExportButton,
  ],
  templateUrl: './leads-page.html',
  styleUrl: './leads-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class LeadsPage {
  private readonly api = inject(LeadsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly contactNames = inject(ContactNames);
  protected readonly metadata = inject(AmocrmMetadataStore);

  /** `?open=<lead id>`: the lead shown in the side sheet. */
  readonly open = input<string>();
  /** `?sort=<column>&order=asc|desc`: the order chosen by a column header (newest first without it). */
  readonly sort = input<string>();
  readonly order = input<string>();

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly canCreate = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly list: PagedList<Lead, LeadFilters> = pagedList<Lead, LeadFilters>({
    filters: { search: '', pipelineId: null, statusId: null, sort: null },
    load: ({ filters: { sort, ...filters }, page, limit }) =>
      this.api.list({ ...filters, ...sortParams(sort), page, limit }),
    loaded: (page) => this.rememberContacts(page.items),
    // the order lives in the address (a reload or a shared link keeps it); the other filters stay as chosen
    url: {
      read: () => ({
        ...untracked(() => this.list.filters()),
        sort: sortFromUrl(this.sort(), this.order(), SORTS),
      }),
      write: (filters) => sortToUrl(filters.sort),
    },
  });
  protected readonly serverSortOf = serverSortOf;
  /** The export downloads what the list shows now. */
  protected readonly exportParams = computed(() => {
    const { search, pipelineId, statusId } = this.list.filters();
    return { search: queryText(search), pipelineId, statusId };
  });
  protected readonly search = new SearchBox(inject(LEADS_SEARCH_DEBOUNCE_MS), (search) =>
    this.list.setFilters({ search }),
  );
  private readonly drawer = urlDrawer<LeadDrawer, LeadDrawerData, Lead>({
    open: this.open,
    component: LeadDrawer,
    find: (id) => this.list.items().find((lead) => lead.id === id),
    data: (id, initial) => ({ id, initial, changed: (lead) => this.list.replaceItem(lead) }),
  });
  protected readonly filtered = computed(() => {
    const filters = this.list.filters();
    return filters.search !== '' || filters.pipelineId !== null || filters.statusId !== null;
  });

  /** Stages of the chosen pipeline, in the pipeline's order. */
  protected readonly statusOptions = computed(() => {
    const pipeline = this.metadata.pipeline(this.list.filters().pipelineId);
    return pipeline ? [...pipeline.statuses].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0)) : [];
  });

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.narrow() ? NARROW_COLUMNS : ALL_COLUMNS));

  constructor() {
    this.metadata.ensureLoaded();
  }

  /** The linked contact's name: from the lead when the server includes it, else read once. */
  protected contactName(lead: Lead): string | null {
    if (!lead.contactId) {
      return null;
    }
    return lead.contact?.name ?? this.contactNames.known().get(lead.contactId) ?? null;
  }

  protected setPipeline(pipelineId: number | null): void {
    this.list.setFilters({ pipelineId, statusId: null });
  }

  protected setStatus(statusId: number | null): void {
    this.list.setFilters({ statusId });
  }

  protected clearFilters(): void {
    this.search.clear();
    this.list.setFilters({ search: '', pipelineId: null, statusId: null });
  }

  protected openLead(lead: Lead): void {
    this.drawer.show(lead.id, lead);
  }

  protected openCreate(): void {
    this.dialog
      .open<LeadCreateDialog, void, FoundOrCreatedLead>(LeadCreateDialog, {
        width: '600px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((lead): lead is FoundOrCreatedLead => lead !== undefined))
      .subscribe((lead) => {
        this.rememberContacts([lead]);
        // the side sheet first: the notice opens above it (and styles.scss keeps notices on top)
        this.openLead(lead);
        if (lead.created) {
          this.notifier.info('leads.created', { name: lead.name });
          this.list.reloadFirstPage();
        } else {
          this.notifier.info('leads.existing');
        }
      });
  }

  private rememberContacts(leads: readonly Lead[]): void {
    for (const lead of leads) {
      const name = lead.contact?.name;
      if (lead.contactId && name) {
        this.contactNames.remember(lead.contactId, name);
      }
    }
    this.contactNames.resolve(leads.map((lead) => lead.contactId));
  }
}
