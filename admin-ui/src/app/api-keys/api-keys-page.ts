import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
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
import { MatTooltip } from '@angular/material/tooltip';
import { filter, finalize, map, switchMap } from 'rxjs';

import type { Role } from '../core/auth/auth.models';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { MatSort, MatSortHeader, type Sort } from '@angular/material/sort';
import { ROLE_RANK } from '../shared/list/role-rank';
import { sortRows } from '../shared/list/client-sort';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
import { pagedList, wholeList } from '../shared/list/paged-list';
import { ApiKeysApi } from './api-keys-api';
import type { ApiKey } from './api-keys.models';
import { CreateApiKeyDialog } from './create-api-key-dialog';

/** API keys of the workspace (admins): create (the key is shown once), list, revoke. */
@Component({
  selector: 'app-api-keys-page',
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
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    MatTooltip,
    LocalDatePipe,
    MatSort,
    MatSortHeader,
    PageHeader,
    TranslatePipe,
  ],
  templateUrl: './api-keys-page.html',
  styleUrl: './api-keys-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class ApiKeysPage {
  private readonly api = inject(ApiKeysApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18nService);

  /** On narrow screens the prefix, role and last use move under the name. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() =>
    this.narrow() ? ['name', 'actions'] : ['name', 'prefix', 'role', 'created', 'lastUsed', 'actions'],
  );
  protected readonly list = pagedList<ApiKey, null>({
    filters: null,
    load: () => this.api.list().pipe(map(wholeList)),
  });
  protected readonly revoking = signal<string | null>(null);
  /** The column the user sorts by (`mat-sort-header`); the server's order (active, newest first) until then. */
  protected readonly sort = signal<Sort | null>(null);
  protected readonly rows = computed(() =>
    sortRows(
      this.list.items(),
      this.sort(),
      {
        name: (key) => key.name,
        prefix: (key) => key.prefix,
        role: (key) => ROLE_RANK[key.role],
        created: (key) => Date.parse(key.createdAt),
        lastUsed: (key) => (key.lastUsedAt ? Date.parse(key.lastUsedAt) : null),
      },
      this.i18n.locale(),
    ),
  );

  protected roleKey(role: Role): TranslationKey {
    return `roles.${role}`;
  }

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

  protected openCreate(): void {
    this.dialog
      .open<CreateApiKeyDialog, void, ApiKey>(CreateApiKeyDialog, {
        width: '600px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((key): key is ApiKey => key !== undefined))
      .subscribe((key) => this.list.addItem(key, 'first'));
  }

  protected revoke(key: ApiKey): void {
    confirmAction(this.dialog, {
      title: 'apiKeys.confirmRevoke.title',
      text: 'apiKeys.confirmRevoke.text',
      confirm: 'apiKeys.confirmRevoke.confirm',
      params: { name: key.name },
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.revoking.set(key.id);
          return this.api.revoke(key.id).pipe(finalize(() => this.revoking.set(null)));
        }),
      )
      .subscribe({
        next: () => {
          this.notifier.info('apiKeys.revoked', { name: key.name });
          // read again: the key stays on the list, as revoked
          this.list.reload();
        },
        error: (error: unknown) => {
          this.notifier.error(error);
          this.list.reload();
        },
      });
  }
}
