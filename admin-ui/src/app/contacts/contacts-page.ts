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
import { MatIcon } from '@angular/material/icon';
import { MatPaginator, type PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
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

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { PAGE_SIZES, type Page } from '../shared/page';
import { SearchField } from '../shared/search-field';
import { PhonePipe } from '../shared/phone.pipe';
import { openSideSheet } from '../shared/side-sheet';
import { ContactCreateDialog } from './contact-create-dialog';
import { ContactDrawer, type ContactDrawerData } from './contact-drawer';
import { ContactsApi } from './contacts-api';
import type { Contact, FoundOrCreatedContact } from './contacts.models';

const ALL_COLUMNS = ['name', 'phone', 'email', 'created'] as const;
/** On narrow screens the phone and e-mail move under the name. */
const NARROW_COLUMNS = ['name', 'created'] as const;

/** Typing pauses this long before the search is sent (0 in tests). */
export const CONTACTS_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('CONTACTS_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

interface ListQuery {
  search: string;
  page: number;
  limit: number;
  /** Bumped to reload the same page. */
  version: number;
}

type ListState = { page: Page<Contact> } | { error: unknown };

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
    LocalDatePipe,
    PhonePipe,
    PageHeader,
    TranslatePipe,
    SearchField,
  ],
  templateUrl: './contacts-page.html',
  styleUrl: './contacts-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class ContactsPage {
  private readonly api = inject(ContactsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** `?open=<contact id>`: the contact shown in the side sheet. */
  readonly open = input<string>();

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly canCreate = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly searchText = signal('');
  private readonly searchInput = new Subject<string>();
  protected readonly query = signal<ListQuery>({
    search: '',
    page: 1,
    limit: PAGE_SIZES[0] ?? 20,
    version: 0,
  });
  protected readonly loading = signal(true);

  private readonly state = toSignal(
    toObservable(this.query).pipe(
      tap(() => this.loading.set(true)),
      switchMap((query) =>
        this.api.list({ search: query.search, page: query.page, limit: query.limit }).pipe(
          map((page): ListState => ({ page })),
          catchError((error: unknown) => of<ListState>({ error })),
        ),
      ),
      tap(() => this.loading.set(false)),
    ),
    { initialValue: null },
  );
  /** Rows changed in the side sheet since the page was loaded (shown without a reload). */
  private readonly edited = signal<ReadonlyMap<string, Contact>>(new Map());
  protected readonly contacts = computed(() => {
    const state = this.state();
    const edited = this.edited();
    return state && 'page' in state
      ? state.page.items.map((contact) => edited.get(contact.id) ?? contact)
      : [];
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

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.narrow() ? NARROW_COLUMNS : ALL_COLUMNS));

  private destroyed = false;
  private drawer: { id: string; ref: MatDialogRef<ContactDrawer> } | null = null;

  constructor() {
    this.searchInput
      .pipe(debounceTime(inject(CONTACTS_SEARCH_DEBOUNCE_MS)), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((search) => this.query.update((query) => ({ ...query, search: search.trim(), page: 1 })));
    // The side sheet follows `?open=` (links from leads, back/forward).
    effect(() => {
      const id = this.open();
      untracked(() => this.syncDrawer(id ?? null));
    });
    this.destroyRef.onDestroy(() => {
      this.destroyed = true;
      this.drawer?.ref.close();
    });
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
    this.searchInput.next(value);
  }

  protected onPage(event: PageEvent): void {
    this.query.update((query) => ({ ...query, page: event.pageIndex + 1, limit: event.pageSize }));
  }

  protected reload(): void {
    this.query.update((query) => ({ ...query, version: query.version + 1 }));
  }

  protected openContact(contact: Contact): void {
    this.showDrawer(contact.id, contact);
    void this.router.navigate([], { queryParams: { open: contact.id }, queryParamsHandling: 'merge' });
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
          this.query.update((query) => ({ ...query, page: 1, version: query.version + 1 }));
        } else {
          this.notifier.info('contacts.existing');
        }
        this.openContact(contact);
      });
  }

  private syncDrawer(id: string | null): void {
    if (id === null) {
      this.drawer?.ref.close();
      return;
    }
    if (this.drawer?.id !== id) {
      this.showDrawer(
        id,
        this.contacts().find((contact) => contact.id === id),
      );
    }
  }

  private showDrawer(id: string, initial?: Contact): void {
    if (this.drawer?.id === id) {
      return;
    }
    this.drawer?.ref.close();
    const ref = openSideSheet<ContactDrawer, ContactDrawerData>(this.dialog, ContactDrawer, {
      id,
      initial,
      changed: (contact) => this.edited.update((edited) => new Map(edited).set(contact.id, contact)),
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
