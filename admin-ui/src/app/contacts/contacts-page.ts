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
import { MatIcon } from '@angular/material/icon';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSort, MatSortHeader } from '@angular/material/sort';
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
import { filter, map } from 'rxjs';

import { AuthService } from '../core/auth/auth.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { ExportButton } from '../shared/export/export-button';
import { type PagedList, pagedList } from '../shared/list/paged-list';
import { SearchBox } from '../shared/list/search-box';
import {
  type ServerSort,
  serverSortOf,
  sortFromUrl,
  sortParams,
  sortToUrl,
} from '../shared/list/server-sort';
import { urlDrawer } from '../shared/list/url-drawer';
import { PAGE_SIZES, queryText } from '../shared/page';
import { PhonePipe } from '../shared/phone.pipe';
import { ContactsApi } from '../shared/records/contacts-api';
import type { Contact, FoundOrCreatedContact } from '../shared/records/contacts.models';
import { SearchField } from '../shared/search-field';
import { ContactCreateDialog } from './contact-create-dialog';
import { ContactDrawer, type ContactDrawerData } from './contact-drawer';

const ALL_COLUMNS = ['name', 'phone', 'email', 'created'] as const;
/** On narrow screens the phone and e-mail move under the name. */
const NARROW_COLUMNS = ['name', 'created'] as const;
/** The columns the server sorts by (`?sort=`), by their API names. */
const SORTS = ['name', 'phone', 'email', 'createdAt'] as const;

interface ContactFilters {
  search: string;
  sort: ServerSort | null;
}

/** Typing pauses this long before the search is sent (0 in tests). */
export const CONTACTS_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('CONTACTS_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

/**
 * `/contacts`: the contacts of the workspace, paged by the server (newest first), searched by name,
 * phone or e-mail. A row opens the contact in a side sheet (`?open=<id>` does too, so a lead can
 * link to its contact); managers and admins create contacts here.
 */
@Component({
  selector: 'app-contacts-page',
  imports: [
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
    MatButton,
    MatIcon,
    MatTooltip,
    MatSort,
    MatSortHeader,
    LocalDatePipe,
    PhonePipe,
    PageHeader,
    TranslatePipe,
    SearchField,
    ExportButton,
  ],
  templateUrl: './contacts-page.html',
  styleUrl: './contacts-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class ContactsPage {
  private readonly api = inject(ContactsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);

  /** `?open=<contact id>`: the contact shown in the side sheet. */
  readonly open = input<string>();
  /** `?sort=<column>&order=asc|desc`: the order chosen by a column header (newest first without it). */
  readonly sort = input<string>();
  readonly order = input<string>();

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly canCreate = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly list: PagedList<Contact, ContactFilters> = pagedList<Contact, ContactFilters>({
    filters: { search: '', sort: null },
    load: ({ filters, page, limit }) =>
      this.api.list({ search: filters.search, ...sortParams(filters.sort), page, limit }),
    // the order lives in the address (a reload or a shared link keeps it); the search stays as typed
    url: {
      read: () => ({
        search: untracked(() => this.list.filters().search),
        sort: sortFromUrl(this.sort(), this.order(), SORTS),
      }),
      write: (filters) => sortToUrl(filters.sort),
    },
  });
  protected readonly serverSortOf = serverSortOf;
  /** The export downloads what the list shows now. */
  protected readonly exportParams = computed(() => ({ search: queryText(this.list.filters().search) }));
  protected readonly search = new SearchBox(inject(CONTACTS_SEARCH_DEBOUNCE_MS), (search) =>
    this.list.setFilters({ search }),
  );
  private readonly drawer = urlDrawer<ContactDrawer, ContactDrawerData, Contact>({
    open: this.open,
    component: ContactDrawer,
    find: (id) => this.list.items().find((contact) => contact.id === id),
    data: (id, initial) => ({ id, initial, changed: (contact) => this.list.replaceItem(contact) }),
  });

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.narrow() ? NARROW_COLUMNS : ALL_COLUMNS));

  protected openContact(contact: Contact): void {
    this.drawer.show(contact.id, contact);
  }

  protected openCreate(): void {
    this.dialog
      .open<ContactCreateDialog, void, FoundOrCreatedContact>(ContactCreateDialog, {
        width: '520px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((contact): contact is FoundOrCreatedContact => contact !== undefined))
      .subscribe((contact) => {
        if (contact.created) {
          this.notifier.info('contacts.created', { name: contact.name });
          this.list.reloadFirstPage();
        } else {
          this.notifier.info('contacts.existing');
        }
        this.openContact(contact);
      });
  }
}
