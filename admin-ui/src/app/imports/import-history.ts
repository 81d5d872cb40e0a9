import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import type { PagedList } from '../shared/list/paged-list';
import { PAGE_SIZES } from '../shared/page';
import type { ImportStatus, ImportSummary } from './imports.models';

/** The uploads of the workspace, newest first: file, who, when, the counts, status; a row opens the import. */
@Component({
  selector: 'app-import-history',
  imports: [MatButton, MatPaginator, MatProgressBar, RouterLink, LocalDatePipe, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card">
      <h2 class="title">{{ 'imports.history.title' | t }}</h2>
      @if (list().loading()) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (list().errorMessage(); as message) {
        <p class="error" role="alert">{{ 'imports.history.loadFailed' | t }} {{ message }}</p>
        <button mat-stroked-button type="button" (click)="list().reload()">{{ 'common.retry' | t }}</button>
      } @else if (!list().loading() && list().items().length === 0) {
        <p class="muted empty" data-testid="import-history-empty">{{ 'imports.history.empty' | t }}</p>
      } @else {
        <div class="table-wrap">
          <table class="history" data-testid="import-history">
            <thead>
              <tr>
                <th scope="col">{{ 'imports.history.file' | t }}</th>
                <th scope="col">{{ 'imports.history.who' | t }}</th>
                <th scope="col">{{ 'imports.history.when' | t }}</th>
                <th scope="col">{{ 'imports.history.counts' | t }}</th>
                <th scope="col">{{ 'imports.history.status' | t }}</th>
              </tr>
            </thead>
            <tbody>
              @for (item of list().items(); track item.id) {
                <tr
                  data-testid="import-history-row"
                  [attr.data-status]="item.status"
                  [class.current]="item.id === currentId()"
                >
                  <td>
                    <a [routerLink]="['/imports', item.id]" data-testid="import-history-open">{{
                      item.fileName
                    }}</a>
                  </td>
                  <td>{{ item.uploadedBy }}</td>
                  <td>{{ item.uploadedAt | localDate }}</td>
                  <td data-testid="import-history-counts">
                    @if (item.created !== undefined && item.startedAt) {
                      {{
                        'imports.history.countsText'
                          | t
                            : {
                                created: item.created,
                                updated: item.updated ?? 0,
                                skipped: item.skipped ?? 0,
                                failed: item.failed ?? 0,
                              }
                      }}
                    } @else {
                      {{ 'common.none' | t }}
                    }
                  </td>
                  <td>{{ statusKey(item.status) | t }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <mat-paginator
          [length]="list().total()"
          [pageIndex]="list().page() - 1"
          [pageSize]="list().limit()"
          [pageSizeOptions]="pageSizes"
          (page)="list().setPage($event)"
        />
      }
    </section>
  `,
  styles: `
    .card {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .title {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .empty {
      margin: 0;
      padding: 40px 16px;
      text-align: center;
    }
    .table-wrap {
      overflow-x: auto;
    }
    .history {
      width: 100%;
      border-collapse: collapse;
    }
    .history th,
    .history td {
      padding: 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      text-align: left;
    }
    .history th {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-large);
    }
    .history a {
      color: var(--mat-sys-primary);
      overflow-wrap: anywhere;
    }
    .current {
      background: var(--mat-sys-surface-container);
    }
  `,
})
export class ImportHistory {
  readonly list = input.required<PagedList<ImportSummary, Record<string, never>>>();
  readonly currentId = input<string | null>(null);
  protected readonly pageSizes = PAGE_SIZES;

  protected statusKey(status: ImportStatus): TranslationKey {
    return `imports.status.${status}`;
  }
}
