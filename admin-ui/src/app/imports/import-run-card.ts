import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  output,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { type Subscription, filter, finalize, of, switchMap } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { confirmAction } from '../core/ui/confirm-dialog';
import { BlobSaver } from '../shared/export/blob-saver';
import { reasonOf } from './import-errors';
import { ImportsApi, type RunAction } from './imports-api';
import { type ImportProgress, type ImportStatus, LIVE_STATUSES } from './imports.models';

/**
 * The run of an import: a progress bar with the counts and the expected end, read from the live stream while it
 * runs; pause, resume, stop; the per-row report once rows were processed.
 */
@Component({
  selector: 'app-import-run-card',
  imports: [MatButton, MatIcon, MatProgressBar, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './import-run-card.html',
  styleUrl: './import-run-card.scss',
})
export class ImportRunCard {
  private readonly api = inject(ImportsApi);
  private readonly i18n = inject(I18nService);
  private readonly dialog = inject(MatDialog);
  private readonly saver = inject(BlobSaver);
  private readonly destroyRef = inject(DestroyRef);

  readonly importId = input.required<string>();
  readonly initial = input.required<ImportProgress>();
  /** The run reached an end (done, failed, stopped): the history shows the new counts. */
  readonly finished = output<ImportProgress>();

  protected readonly progress = linkedSignal(() => this.initial());
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly streamBroken = signal(false);

  protected readonly live = computed(() => LIVE_STATUSES.includes(this.progress().status));
  /** Whole percent of the rows processed; `null` while the file is still being read. */
  protected readonly percent = computed(() => {
    const p = this.progress();
    if (p.status === 'done') return 100;
    if (!p.staged || p.totalRows === 0) return null;
    return Math.min(100, Math.floor((p.processed / p.totalRows) * 100));
  });
  protected readonly statusKey = computed(
    (): TranslationKey => `imports.status.${this.progress().status satisfies ImportStatus}`,
  );
  protected readonly eta = computed(() => this.time(this.progress().eta));
  protected readonly finishedAt = computed(() => this.time(this.progress().finishedAt));

  private stream?: Subscription;

  constructor() {
    effect(() => {
      const id = this.importId();
      const live = LIVE_STATUSES.includes(this.initial().status);
      untracked(() => this.follow(id, live));
    });
    this.destroyRef.onDestroy(() => this.stream?.unsubscribe());
  }

  protected act(action: Exclude<RunAction, 'start'>): void {
    const confirmed =
      action === 'cancel'
        ? confirmAction(this.dialog, {
            title: 'imports.run.cancel',
            text: 'imports.run.cancelConfirm',
            confirm: 'imports.run.cancel',
            danger: true,
          })
        : null;
    const request$ = (confirmed ?? of(true)).pipe(
      filter(Boolean),
      switchMap(() => {
        this.busy.set(true);
        this.error.set(null);
        return this.api.run(this.importId(), action).pipe(finalize(() => this.busy.set(false)));
      }),
      takeUntilDestroyed(this.destroyRef),
    );
    request$.subscribe({
      next: (progress) => this.show(progress),
      error: (error: unknown) =>
        this.error.set(
          this.i18n.t('imports.errors.action', { reason: reasonOf(error, this.i18n.t.bind(this.i18n)) }),
        ),
    });
  }

  protected downloadReport(): void {
    this.busy.set(true);
    this.error.set(null);
    this.api
      .report(this.importId())
      .pipe(
        finalize(() => this.busy.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (file) => this.saver.save(file.blob, file.fileName),
        error: (error: unknown) =>
          this.error.set(
            this.i18n.t('imports.errors.report', { reason: reasonOf(error, this.i18n.t.bind(this.i18n)) }),
          ),
      });
  }

  private follow(id: string, live: boolean): void {
    this.stream?.unsubscribe();
    this.streamBroken.set(false);
    if (!live) return;
    this.stream = this.api.stream(id).subscribe({
      next: (progress) => this.show(progress),
      error: () => this.streamBroken.set(true),
    });
  }

  private show(progress: ImportProgress): void {
    const wasLive = this.live();
    this.progress.set(progress);
    if (wasLive && !LIVE_STATUSES.includes(progress.status)) this.finished.emit(progress);
  }

  private time(value: string | null): string | null {
    if (!value) return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime())
      ? null
      : new Intl.DateTimeFormat(this.i18n.locale(), {
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }).format(date);
  }
}
