import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  InjectionToken,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog, type MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatPaginator, type PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
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
import { Router, RouterLink } from '@angular/router';
import {
  Subject,
  catchError,
  debounceTime,
  distinctUntilChanged,
  filter,
  map,
  of,
  switchMap,
  tap,
} from 'rxjs';

import { AmocrmMetadataStore } from '../connections/amocrm-metadata-store';
import { ContactNames } from '../contacts/contact-names';
import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { PAGE_SIZES, type Page } from '../shared/page';
import { SearchField } from '../shared/search-field';
import { RublesPipe } from '../shared/rubles.pipe';
import { openSideSheet } from '../shared/side-sheet';
import { LeadCreateDialog } from './lead-create-dialog';
import { LeadDrawer, type LeadDrawerData } from './lead-drawer';
import { LeadStatusChip } from './lead-status-chip';
import { LeadsApi } from './leads-api';
import type { FoundOrCreatedLead, Lead } from './leads.models';

const ALL_COLUMNS = ['name', 'status', 'price', 'contact', 'created'] as const;
/** On narrow screens the stage and the contact move under the name. */
const NARROW_COLUMNS = ['name', 'price'] as const;

/** Typing pauses this long before the search is sent (0 in tests). */
export const LEADS_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('LEADS_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

interface ListQuery {
  search: string;
  pipelineId: number | null;
  statusId: number | null;
  page: number;
  limit: number;
  /** Bumped to reload the same page. */
  version: number;
}

type ListState = { page: Page<Lead> } | { error: unknown };

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
    LocalDatePipe,
    RublesPipe,
    PageHeader,
    TranslatePipe,
    SearchField,
    LeadStatusChip,
  ],
  templateUrl: './leads-page.html',
  styleUrl: './leads-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class LeadsPage {
  private readonly api = inject(LeadsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly contactNames = inject(ContactNames);
  protected readonly metadata = inject(AmocrmMetadataStore);

  /** `?open=<lead id>`: the lead shown in the side sheet. */
  readonly open = input<string>();

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly canCreate = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly searchText = signal('');
  private readonly searchInput = new Subject<string>();
  protected readonly query = signal<ListQuery>({
    search: '',
    pipelineId: null,
    statusId: null,
    page: 1,
    limit: PAGE_SIZES[0] ?? 20,
    version: 0,
  });
  protected readonly loading = signal(true);

  private readonly state = toSignal(
    toObservable(this.query).pipe(
      tap(() => this.loading.set(true)),
      switchMap((query) =>
        this.api.list(query).pipe(
          map((page): ListState => ({ page })),
          catchError((error: unknown) => of<ListState>({ error })),
        ),
      ),
      tap((state) => {
        this.loading.set(false);
        if ('page' in state) {
          this.rememberContacts(state.page.items);
        }
      }),
    ),
    { initialValue: null },
  );
  private readonly edited = signal<ReadonlyMap<string, Lead>>(new Map());
  protected readonly leads = computed(() => {
    const state = this.state();
    const edited = this.edited();
    return state && 'page' in state ? state.page.items.map((lead) => edited.get(lead.id) ?? lead) : [];
  });
  protected readonly total = computed(() => {
    const state = this.state();
    return state && 'page' in state ? state.page.total : 0;
  });
  protected readonly errorMessage = computed(() => {
    const state = this.state();
    return state && 'error' in state
      ? describeHttpError(state.error, (key, params) => this.i18n.t(key, params)).message
      : null;
  });
  protected readonly filtered = computed(() => {
    const query = this.query();
    return query.search !== '' || query.pipelineId !== null || query.statusId !== null;
  });

  /** Stages of the chosen pipeline, in the pipeline's order. */
  protected readonly statusOptions = computed(() => {
    const pipeline = this.metadata.pipeline(this.query().pipelineId);
    return pipeline ? [...pipeline.statuses].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0)) : [];
  });

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.narrow() ? NARROW_COLUMNS : ALL_COLUMNS));

  private destroyed = false;
  private drawer: { id: string; ref: MatDialogRef<LeadDrawer> } | null = null;

  constructor() {
    this.metadata.ensureLoaded();
    this.searchInput
      .pipe(debounceTime(inject(LEADS_SEARCH_DEBOUNCE_MS)), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((search) => this.query.update((query) => ({ ...query, search: search.trim(), page: 1 })));
    effect(() => {
      const id = this.open();
      untracked(() => this.syncDrawer(id ?? null));
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.drawer?.ref.close();
    });
  }

  /** The linked contact's name: from the lead when the server includes it, else read once. */
  protected contactName(lead: Lead): string | null {
    if (!lead.contactId) {
      return null;
    }
    return lead.contact?.name ?? this.contactNames.known().get(lead.contactId) ?? null;
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
    this.searchInput.next(value);
  }

  protected setPipeline(pipelineId: number | null): void {
    this.query.update((query) => ({ ...query, pipelineId, statusId: null, page: 1 }));
  }

  protected setStatus(statusId: number | null): void {
    this.query.update((query) => ({ ...query, statusId, page: 1 }));
  }

  protected clearFilters(): void {
    this.searchText.set('');
    this.searchInput.next('');
    this.query.update((query) => ({ ...query, search: '', pipelineId: null, statusId: null, page: 1 }));
  }

  protected onPage(event: PageEvent): void {
    this.query.update((query) => ({ ...query, page: event.pageIndex + 1, limit: event.pageSize }));
  }

  protected reload(): void {
    this.query.update((query) => ({ ...query, version: query.version + 1 }));
  }

  protected openLead(lead: Lead): void {
    this.showDrawer(lead.id, lead);
    void this.router.navigate([], { queryParams: { open: lead.id }, queryParamsHandling: 'merge' });
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
        if (lead.created) {
          this.notifier.info('leads.created', { name: lead.name });
          this.query.update((query) => ({ ...query, page: 1, version: query.version + 1 }));
        } else {
          this.notifier.info('leads.existing');
        }
        this.openLead(lead);
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

  private syncDrawer(id: string | null): void {
    if (id === null) {
      this.drawer?.ref.close();
      return;
    }
    if (this.drawer?.id !== id) {
      this.showDrawer(
        id,
        this.leads().find((lead) => lead.id === id),
      );
    }
  }

  private showDrawer(id: string, initial?: Lead): void {
    if (this.drawer?.id === id) {
      return;
    }
    this.drawer?.ref.close();
    const ref = openSideSheet<LeadDrawer, LeadDrawerData>(this.dialog, LeadDrawer, {
      id,
      initial,
      changed: (lead) => this.edited.update((edited) => new Map(edited).set(lead.id, lead)),
    });
    this.drawer = { id, ref };
    ref.afterClosed().subscribe(() => {
      if (this.drawer?.ref === ref) {
        this.drawer = null;
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
