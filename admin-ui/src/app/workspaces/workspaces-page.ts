import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSort, MatSortHeader, type Sort } from '@angular/material/sort';
import { MatTooltip } from '@angular/material/tooltip';
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
import { Router } from '@angular/router';
import { filter, map, switchMap } from 'rxjs';

import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { sortRows } from '../shared/list/client-sort';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { pagedList, wholeList } from '../shared/list/paged-list';
import { CreateWorkspaceDialog, type CreatedWorkspace } from './create-workspace-dialog';
import { confirmAction } from '../core/ui/confirm-dialog';
import { CurrentWorkspaceStore } from './current-workspace';
import { RenameWorkspaceDialog } from './rename-workspace-dialog';
import { WorkspacesApi } from './workspaces-api';
import type { Workspace } from './workspaces.models';

/**
 * All workspaces (super admins): list, create one with its first admin, rename, turn off / on (asked first), open
 * one to work in it; the one you are in is marked.
 */
@Component({
  selector: 'app-workspaces-page',
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
    MatTooltip,
    MatSort,
    MatSortHeader,
    MatIcon,
    MatProgressBar,
    LocalDatePipe,
    PageHeader,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-page-header title="workspaces.title" subtitle="workspaces.subtitle">
      <button mat-flat-button type="button" data-testid="workspaces-create" (click)="openCreate()">
        <mat-icon svgIcon="add" />
        {{ 'workspaces.create' | t }}
      </button>
    </app-page-header>

    <div class="table-wrap">
      @if (list.loading()) {
        <mat-progress-bar class="loading" mode="indeterminate" />
      }
      @if (list.errorMessage(); as message) {
        <div class="state error" role="alert" data-testid="workspaces-error">
          <span>{{ message }}</span>
          <button mat-stroked-button type="button" (click)="list.reload()">{{ 'common.retry' | t }}</button>
        </div>
      } @else {
        <table
          mat-table
          class="table"
          data-testid="workspaces-table"
          [dataSource]="rows()"
          [trackBy]="trackById"
          matSort
          (matSortChange)="sort.set($event)"
        >
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef mat-sort-header data-testid="workspaces-sort-name">
              {{ 'workspaces.columns.name' | t }}
            </th>
            <td mat-cell *matCellDef="let workspace">
              <span class="name">{{ workspace.name }}</span>
              @if (workspace.id === currentId()) {
                <span class="badge positive" data-testid="workspace-current">{{
                  'workspaces.current' | t
                }}</span>
              }
              @if (workspace.isDefault) {
                <span class="badge accent" data-testid="workspace-default">
                  <mat-icon svgIcon="star" class="badge-icon" />
                  {{ 'workspaces.default' | t }}
                </span>
              }
              @if (workspace.disabled) {
                <span class="badge negative" data-testid="workspace-disabled">{{
                  'workspaces.disabled' | t
                }}</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="users">
            <th mat-header-cell *matHeaderCellDef mat-sort-header arrowPosition="before" class="number">
              {{ 'workspaces.columns.users' | t }}
            </th>
            <td mat-cell *matCellDef="let workspace" class="number">{{ workspace.users }}</td>
          </ng-container>
          <ng-container matColumnDef="created">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>{{ 'workspaces.columns.created' | t }}</th>
            <td mat-cell *matCellDef="let workspace" class="nowrap">
              {{ workspace.createdAt | localDate: 'date' }}
            </td>
          </ng-container>

          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef class="actions-cell">
              <span class="cdk-visually-hidden">{{ 'workspaces.columns.actions' | t }}</span>
            </th>
            <td mat-cell *matCellDef="let workspace" class="actions-cell">
              <button
                mat-icon-button
                type="button"
                data-testid="workspace-rename"
                [attr.aria-label]="'workspaces.renameLabel' | t: { name: workspace.name }"
                [matTooltip]="'workspaces.rename' | t"
                (click)="rename(workspace)"
              >
                <mat-icon svgIcon="edit" />
              </button>
              @if (workspace.id !== currentId()) {
                <button
                  mat-icon-button
                  type="button"
                  data-testid="workspace-open"
                  [attr.aria-label]="'workspaces.openLabel' | t: { name: workspace.name }"
                  [matTooltip]="'workspaces.open' | t"
                  (click)="open(workspace)"
                >
                  <mat-icon svgIcon="open_in_new" />
                </button>
              }
              @if (workspace.disabled) {
                <button
                  mat-icon-button
                  type="button"
                  data-testid="workspace-enable"
                  [attr.aria-label]="'workspaces.enableLabel' | t: { name: workspace.name }"
                  [matTooltip]="'workspaces.enable' | t"
                  (click)="toggleDisabled(workspace)"
                >
                  <mat-icon svgIcon="check_circle" />
                </button>
              } @else if (!isOwn(workspace)) {
                <button
                  mat-icon-button
                  type="button"
                  data-testid="workspace-disable"
                  [attr.aria-label]="'workspaces.disableLabel' | t: { name: workspace.name }"
                  [matTooltip]="'workspaces.disable' | t"
                  (click)="toggleDisabled(workspace)"
                >
                  <mat-icon svgIcon="block" />
                </button>
              }
            </td>
          </ng-container>

          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr
            mat-row
            *matRowDef="let workspace; columns: columns"
            [attr.data-testid]="'workspace-row-' + workspace.name"
            [class.current]="workspace.id === currentId()"
          ></tr>
        </table>
        @if (!list.loading() && list.items().length === 0) {
          <p class="state">{{ 'workspaces.empty' | t }}</p>
        }
      }
    </div>
  `,
  styleUrl: './workspaces-page.scss',
})
export default class WorkspacesPage {
  private readonly api = inject(WorkspacesApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly current = inject(CurrentWorkspaceStore);
  private readonly router = inject(Router);

  protected readonly columns = ['name', 'users', 'created', 'actions'];
  /** The column the user sorts by; the server's order (oldest first) until then. */
  protected readonly sort = signal<Sort | null>(null);
  protected readonly rows = computed(() =>
    sortRows(
      this.list.items(),
      this.sort(),
      {
        name: (workspace) => workspace.name,
        users: (workspace) => workspace.users,
        created: (workspace) => Date.parse(workspace.createdAt),
      },
      this.i18n.locale(),
    ),
  );
  /** The workspace the super-admin works in now (marked on its row; their own until the first answer). */
  protected readonly currentId = computed(
    () => this.current.current()?.id ?? this.auth.user()?.workspaceId ?? null,
  );

  constructor() {
    this.current.reload();
  }
  protected readonly list = pagedList<Workspace, null>({
    filters: null,
    load: () => this.api.list().pipe(map(wholeList)),
  });

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

  protected rename(workspace: Workspace): void {
    this.dialog
      .open<RenameWorkspaceDialog, Workspace, Workspace>(RenameWorkspaceDialog, {
        width: '480px',
        maxWidth: 'calc(100vw - 32px)',
        data: workspace,
      })
      .afterClosed()
      .pipe(filter((renamed): renamed is Workspace => renamed !== undefined))
      .subscribe((renamed) => {
        this.list.replaceItem(renamed);
        this.notifier.info('workspaces.renamed', { name: renamed.name });
      });
  }

  /** The platform's own workspace and the super-admin's own cannot be turned off (the server refuses too). */
  protected isOwn(workspace: Workspace): boolean {
    return workspace.isDefault || workspace.id === this.auth.user()?.workspaceId;
  }

  /** Turns a workspace off or on, after asking. */
  protected toggleDisabled(workspace: Workspace): void {
    const disable = !workspace.disabled;
    confirmAction(this.dialog, {
      title: disable ? 'workspaces.confirmDisable.title' : 'workspaces.confirmEnable.title',
      text: disable ? 'workspaces.confirmDisable.text' : 'workspaces.confirmEnable.text',
      confirm: disable ? 'workspaces.confirmDisable.confirm' : 'workspaces.confirmEnable.confirm',
      params: { name: workspace.name },
      danger: disable,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.setDisabled(workspace.id, disable)),
      )
      .subscribe({
        next: (updated) => {
          this.list.replaceItem(updated);
          this.current.reload();
          this.notifier.info(updated.disabled ? 'workspaces.disabledDone' : 'workspaces.enabledDone', {
            name: updated.name,
          });
        },
        error: (error: unknown) => this.notifier.error(error),
      });
  }

  /** Works in the workspace from now on (the top bar says so) and goes to its overview. */
  protected open(workspace: Workspace): void {
    this.current.open(workspace.id).subscribe({
      next: (current) => {
        this.notifier.info(current.acting ? 'workspaces.opened' : 'workspaces.backHome', {
          name: current.name,
        });
        void this.router.navigateByUrl('/');
      },
      error: (error: unknown) => this.notifier.error(error),
    });
  }

  protected openCreate(): void {
    this.dialog
      .open<CreateWorkspaceDialog, void, CreatedWorkspace>(CreateWorkspaceDialog, {
        width: '480px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((created): created is CreatedWorkspace => created !== undefined))
      .subscribe(({ workspace, adminEmail }) => {
        this.list.addItem(workspace);
        this.notifier.info('workspaces.created', { name: workspace.name, email: adminEmail });
      });
  }
}
