import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { type Subscription, finalize } from 'rxjs';

import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { pagedList } from '../shared/list/paged-list';
import { describeUploadError, reasonOf } from './import-errors';
import { ImportHistory } from './import-history';
import { ImportRunCard } from './import-run-card';
import { ImportSetup } from './import-setup';
import { ImportsApi } from './imports-api';
import type { ImportDetails, ImportProgress, ImportSummary } from './imports.models';
import { UploadDrop } from './upload-drop';

/**
 * «Импорт таблиц»: upload (drop or pick a file), then the columns and settings, then the run with its live
 * progress; the history below. `/imports/:id` opens one import (from the history, or right after the upload).
 */
@Component({
  selector: 'app-imports-page',
  imports: [
    MatButton,
    MatIcon,
    MatProgressBar,
    PageHeader,
    UploadDrop,
    ImportSetup,
    ImportRunCard,
    ImportHistory,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-page-header title="imports.title" subtitle="imports.subtitle">
      @if (id()) {
        <button mat-stroked-button type="button" data-testid="import-new" (click)="openNew()">
          <mat-icon svgIcon="upload_file" />
          {{ 'imports.file.another' | t }}
        </button>
      }
    </app-page-header>
    <div class="stack">
      @if (!canUpload()) {
        <p class="muted" data-testid="import-read-only">{{ 'imports.readOnly' | t }}</p>
      } @else if (!id()) {
        <app-upload-drop [busy]="uploading()" [error]="uploadError()" (picked)="upload($event)" />
      } @else if (loadError(); as message) {
        <p class="error" role="alert" data-testid="import-load-error">{{ message }}</p>
      } @else if (details(); as current) {
        @if (current.status === 'uploaded') {
          <app-import-setup [details]="current" (changed)="details.set($event)" (started)="started($event)" />
        } @else if (current.progress; as progress) {
          <app-import-run-card
            [importId]="current.id"
            [initial]="progress"
            (finished)="history.refreshQuietly()"
          />
        }
      } @else {
        <mat-progress-bar mode="indeterminate" />
      }
      <app-import-history [list]="history" [currentId]="id() ?? null" />
    </div>
  `,
  styles: `
    .stack {
      display: flex;
      flex-direction: column;
      gap: 24px;
      max-width: 1100px;
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export default class ImportsPage {
  private readonly api = inject(ImportsApi);
  private readonly i18n = inject(I18nService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly auth = inject(AuthService);

  /** The import shown (route parameter `:id`). */
  readonly id = input<string>();

  /** Viewers see the history only: uploading and running imports is for managers and admins. */
  protected readonly canUpload = computed(() => this.auth.hasRole(['admin', 'manager']));
  protected readonly details = signal<ImportDetails | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly uploading = signal<string | null>(null);
  protected readonly uploadError = signal<string | null>(null);
  protected readonly history = pagedList<ImportSummary, Record<string, never>>({
    filters: {},
    load: ({ page, limit }) => this.api.history(page, limit),
  });

  private loading?: Subscription;

  constructor() {
    effect(() => {
      const id = this.canUpload() ? this.id() : undefined;
      untracked(() => this.load(id));
    });
  }

  protected upload(file: File): void {
    this.uploading.set(file.name);
    this.uploadError.set(null);
    this.api
      .upload(file)
      .pipe(
        finalize(() => this.uploading.set(null)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (details) => {
          this.history.reloadFirstPage();
          void this.router.navigate(['/imports', details.id]);
        },
        error: (error: unknown) =>
          this.uploadError.set(describeUploadError(error, this.i18n.t.bind(this.i18n))),
      });
  }

  protected started(progress: ImportProgress): void {
    this.details.update((details) => (details ? { ...details, status: progress.status, progress } : details));
    this.history.refreshQuietly();
  }

  protected openNew(): void {
    void this.router.navigate(['/imports']);
  }

  private load(id: string | undefined): void {
    this.loading?.unsubscribe();
    this.details.set(null);
    this.loadError.set(null);
    if (!id) return;
    this.loading = this.api
      .details(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (details) => this.details.set(details),
        error: (error: unknown) =>
          this.loadError.set(
            `${this.i18n.t('imports.loadFailed')} ${reasonOf(error, this.i18n.t.bind(this.i18n))}`,
          ),
      });
  }
}
