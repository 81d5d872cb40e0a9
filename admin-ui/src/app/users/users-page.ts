import { BreakpointObserver } from '@angular/cdk/layout';
import { HttpErrorResponse } from '@angular/common/http';
import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSort, MatSortHeader, type Sort } from '@angular/material/sort';
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
import { EMPTY, type Observable, catchError, filter, finalize, map, switchMap, tap } from 'rxjs';

import { ROLES, type Role } from '../core/auth/auth.models';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
import { sortRows } from '../shared/list/client-sort';
import { pagedList, wholeList } from '../shared/list/paged-list';
import { ROLE_RANK } from '../shared/list/role-rank';
import { CreateUserDialog } from './create-user-dialog';
import { ResetPasswordDialog } from './reset-password-dialog';
import { UsersApi } from './users-api';
import type { UpdateUserRequest, User } from './users.models';
import { selfLockoutMessage } from '../shared/user-problems';

const ALL_COLUMNS = ['email', 'role', 'state', 'lastLogin', 'created', 'actions'] as const;
/** On narrow screens the role and the state move under the e-mail. */
const NARROW_COLUMNS = ['email', 'actions'] as const;

const DIALOG_SIZE = { width: '480px', maxWidth: 'calc(100vw - 32px)' } as const;

/**
 * Users of the workspace (admins): add, change the role, disable/enable, set a new password,
 * delete. Your own row is read-only here, so an admin cannot lock themselves out.
 */
@Component({
  selector: 'app-users-page',
  imports: [
    NgTemplateOutlet,
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
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    MatProgressBar,
    MatSort,
    MatSortHeader,
    MatTooltip,
    LocalDatePipe,
    PageHeader,
    TranslatePipe,
  ],
  templateUrl: './users-page.html',
  styleUrl: './users-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class UsersPage {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);

  protected readonly roles = ROLES;
  protected readonly list = pagedList<User, null>({
    filters: null,
    load: () => this.api.list().pipe(map(wholeList)),
  });
  /** The column the user sorts by; the server's order until then. */
  protected readonly sort = signal<Sort | null>(null);
  protected readonly rows = computed(() =>
    sortRows(
      this.list.items(),
      this.sort(),
      {
        email: (user) => user.email,
        role: (user) => ROLE_RANK[user.role],
        state: (user) => (user.disabled ? 0 : 1),
        lastLogin: (user) => (user.lastLoginAt ? Date.parse(user.lastLoginAt) : null),
        created: (user) => Date.parse(user.createdAt),
      },
      this.i18n.locale(),
    ),
  );
  /** Ids of the rows with a request under way (their buttons are disabled meanwhile). */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  protected readonly myId = computed(() => this.auth.user()?.id ?? null);

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.narrow() ? NARROW_COLUMNS : ALL_COLUMNS));

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

  protected roleKey(role: Role): TranslationKey {
    return `roles.${role}`;
  }

  protected isSelf(user: User): boolean {
    return user.id === this.myId();
  }

  /** Not your own row (read-only here) and no request for it under way. */
  protected canChange(user: User): boolean {
    return !this.isSelf(user) && !this.busy().has(user.id);
  }

  protected openCreate(): void {
    this.dialog
      .open<CreateUserDialog, void, User>(CreateUserDialog, DIALOG_SIZE)
      .afterClosed()
      .pipe(filter((user): user is User => user !== undefined))
      .subscribe((user) => {
        this.list.addItem(user);
        this.notifier.info('users.created', { email: user.email });
      });
  }

  protected changeRole(user: User, role: Role): void {
    if (role === user.role || !this.canChange(user)) {
      return;
    }
    this.save(user, { role }).subscribe((updated) =>
      this.notifier.info('users.roleChanged', {
        email: updated.email,
        role: this.i18n.t(`roles.${updated.role}`),
      }),
    );
  }

  protected toggleDisabled(user: User): void {
    // The buttons stay focusable when disabled (for their tooltip), so clicks still arrive here.
    if (!this.canChange(user)) {
      return;
    }
    const disable = !user.disabled;
    confirmAction(this.dialog, {
      title: disable ? 'users.confirmDisable.title' : 'users.confirmEnable.title',
      text: disable ? 'users.confirmDisable.text' : 'users.confirmEnable.text',
      confirm: disable ? 'users.confirmDisable.confirm' : 'users.confirmEnable.confirm',
      params: { email: user.email },
      danger: disable,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.save(user, { disabled: disable })),
      )
      .subscribe((updated) =>
        this.notifier.info(updated.disabled ? 'users.disabledDone' : 'users.enabledDone', {
          email: updated.email,
        }),
      );
  }

  protected resetPassword(user: User): void {
    if (!this.canChange(user)) {
      return;
    }
    this.dialog
      .open<ResetPasswordDialog, User, User>(ResetPasswordDialog, { ...DIALOG_SIZE, data: user })
      .afterClosed()
      .pipe(filter((updated): updated is User => updated !== undefined))
      .subscribe((updated) => {
        this.replace(updated);
        this.notifier.info('users.passwordReset', { email: updated.email });
      });
  }

  protected remove(user: User): void {
    if (!this.canChange(user) || user.isSuperAdmin) {
      return;
    }
    confirmAction(this.dialog, {
      title: 'users.confirmDelete.title',
      text: 'users.confirmDelete.text',
      confirm: 'users.confirmDelete.confirm',
      params: { email: user.email },
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.whileBusy(user, this.api.remove(user.id))),
      )
      .subscribe({
        next: () => {
          this.list.removeItem(user.id);
          this.notifier.info('users.deleted', { email: user.email });
        },
        error: (error: unknown) => this.showError(error),
      });
  }

  /** PATCHes the user and puts the answer in the table; errors are shown, not re-thrown. */
  private save(user: User, changes: UpdateUserRequest): Observable<User> {
    return this.whileBusy(user, this.api.update(user.id, changes)).pipe(
      tap((updated) => this.replace(updated)),
      catchError((error: unknown) => {
        this.showError(error);
        return EMPTY;
      }),
    );
  }

  private whileBusy<T>(user: User, request: Observable<T>): Observable<T> {
    this.busy.update((ids) => new Set(ids).add(user.id));
    return request.pipe(
      finalize(() =>
        this.busy.update((ids) => {
          const next = new Set(ids);
          next.delete(user.id);
          return next;
        }),
      ),
    );
  }

  private replace(updated: User): void {
    this.list.replaceItem(updated);
  }

  private showError(error: unknown): void {
    const selfLockout = selfLockoutMessage(error);
    if (selfLockout) {
      this.notifier.info(selfLockout);
      return;
    }
    this.notifier.error(error);
    if (error instanceof HttpErrorResponse && error.status === 404) {
      this.list.reload(); // someone else deleted the user meanwhile
    }
  }
}
