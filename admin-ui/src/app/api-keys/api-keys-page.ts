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

import { describeHttpError } from '../core/api/problem-details';
import type { Role } from '../core/auth/auth.models';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
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
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);

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
  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly loading = signal(true);
  protected readonly revoking = signal<string | null>(null);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => {
    const error = this.loadError();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor() {
    this.load();
  }

  protected roleKey(role: Role): TranslationKey {
    return `roles.${role}`;
  }

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .list()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (keys) => this.keys.set(keys),
        error: (error: unknown) => this.loadError.set(error),
      });
  }

  protected openCreate(): void {
    this.dialog
      .open<CreateApiKeyDialog, void, ApiKey>(CreateApiKeyDialog, {
        width: '600px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((key): key is ApiKey => key !== undefined))
      .subscribe((key) => this.keys.update((keys) => [key, ...keys.filter((k) => k.id !== key.id)]));
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
          this.keys.update((keys) => keys.filter((k) => k.id !== key.id));
          this.notifier.info('apiKeys.revoked', { name: key.name });
        },
        error: (error: unknown) => {
          this.notifier.error(error);
          this.load();
        },
      });
  }
}
