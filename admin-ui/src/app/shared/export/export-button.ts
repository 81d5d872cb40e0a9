import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatProgressSpinner } from '@angular/material/progress-spinner';
import { finalize } from 'rxjs';

import type { QueryParams } from '../../core/api/api-client';
import { describeHttpError } from '../../core/api/problem-details';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { BlobSaver } from './blob-saver';
import { ExportApi, type ExportFormat, type ExportList } from './export-api';

/**
 * «Выгрузить» with a menu (Excel / CSV): downloads every row of a list with its current filters
 * (`GET /api/v1/<list>/export.<format>`), saves it under the server's file name, is disabled while the file
 * comes and says in words what went wrong.
 *
 * `<app-export-button list="contacts" [params]="exportParams()" />`
 */
@Component({
  selector: 'app-export-button',
  imports: [MatButton, MatIcon, MatMenu, MatMenuItem, MatMenuTrigger, MatProgressSpinner, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      mat-stroked-button
      type="button"
      [attr.data-testid]="list() + '-export'"
      [matMenuTriggerFor]="formats"
      [disabled]="busy()"
      [attr.aria-busy]="busy()"
    >
      @if (busy()) {
        <mat-progress-spinner mode="indeterminate" diameter="18" aria-hidden="true" />
      } @else {
        <mat-icon svgIcon="download" />
      }
      {{ (busy() ? 'exportFile.busy' : 'exportFile.button') | t }}
    </button>
    <mat-menu #formats="matMenu">
      <button
        mat-menu-item
        type="button"
        [attr.data-testid]="list() + '-export-xlsx'"
        (click)="download('xlsx')"
      >
        {{ 'exportFile.xlsx' | t }}
      </button>
      <button
        mat-menu-item
        type="button"
        [attr.data-testid]="list() + '-export-csv'"
        (click)="download('csv')"
      >
        {{ 'exportFile.csv' | t }}
      </button>
    </mat-menu>
    @if (error(); as message) {
      <span class="error" role="alert" [attr.data-testid]="list() + '-export-error'">{{ message }}</span>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      flex-direction: column;
      align-items: flex-end;
      gap: 4px;
    }
    mat-progress-spinner {
      display: inline-block;
      margin-right: 8px;
      vertical-align: middle;
    }
    .error {
      max-width: 36ch;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
      text-align: right;
    }
  `,
})
export class ExportButton {
  private readonly api = inject(ExportApi);
  private readonly saver = inject(BlobSaver);
  private readonly i18n = inject(I18nService);
  private readonly destroyRef = inject(DestroyRef);

  readonly list = input.required<ExportList>();
  /** The list's current filters, as it sends them (`null` values are left out). */
  readonly params = input<QueryParams>({});

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected download(format: ExportFormat): void {
    if (this.busy()) {
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.api
      .download(this.list(), format, this.params())
      .pipe(
        finalize(() => this.busy.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (file) => this.saver.save(file.blob, file.fileName),
        error: (error: unknown) => this.error.set(this.explain(error)),
      });
  }

  private explain(error: unknown): string {
    const t = this.i18n.t.bind(this.i18n);
    const described = describeHttpError(error, t);
    const fields = Object.keys(described.fieldErrors);
    const reason =
      fields.length > 0 ? t('exportFile.badFilter', { fields: fields.join(', ') }) : described.message;
    return t('exportFile.failed', { reason });
  }
}
