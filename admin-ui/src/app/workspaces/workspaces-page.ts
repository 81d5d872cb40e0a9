import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
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
import { filter, map } from 'rxjs';

import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { pagedList, wholeList } from '../shared/list/paged-list';
import { CreateWorkspaceDialog, type CreatedWorkspace } from './create-workspace-dialog';
import { WorkspacesApi } from './workspaces-api';
import type { Workspace } from './workspaces.models';

/** All workspaces (super admins): list and create one with its first admin. */
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
          [dataSource]="list.items()"
          [trackBy]="trackById"
        >
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'workspaces.columns.name' | t }}</th>
            <td mat-cell *matCellDef="let workspace">
              <span class="name">{{ workspace.name }}</span>
              @if (workspace.isDefault) {
                <span class="badge accent" data-testid="workspace-default">
                  <mat-icon svgIcon="star" class="badge-icon" />
                  {{ 'workspaces.default' | t }}
                </span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="users">
            <th mat-header-cell *matHeaderCellDef class="number">{{ 'workspaces.columns.users' | t }}</th>
            <td mat-cell *matCellDef="let workspace" class="number">{{ workspace.users }}</td>
          </ng-container>
          <ng-container matColumnDef="created">
            <th mat-header-cell *matHeaderCellDef>{{ 'workspaces.columns.created' | t }}</th>
            <td mat-cell *matCellDef="let workspace" class="nowrap">
              {{ workspace.createdAt | localDate: 'date' }}
            </td>
          </ng-container>

          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr
            mat-row
            *matRowDef="let workspace; columns: columns"
            [attr.data-testid]="'workspace-row-' + workspace.name"
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

  protected readonly columns = ['name', 'users', 'created'];
  protected readonly list = pagedList<Workspace, null>({
    filters: null,
    load: () => this.api.list().pipe(map(wholeList)),
  });

  /** Rows keep their DOM when the data is reloaded or re-translated. */
  protected readonly trackById = (_index: number, row: { id: string }): string => row.id;

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
