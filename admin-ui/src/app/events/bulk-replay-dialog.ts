import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { formatLocalDate } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { type EventFilters, filterParams } from './event-filters';
import { eventTypeLabel, sourceLabel, statusLabel } from './event-labels';
import { EventsApi } from './events-api';
import { type ReplayMode, UNFINISHED_STATUSES } from './events.models';

export interface BulkReplayDialogData {
  /** The filter of the events page. */
  filters: EventFilters;
}

/**
 * «Повторить все по фильтру»: shows what will be replayed (the page's filter; failed events when
 * no status is chosen), lets the user pick the settings to apply, then shows how many events the
 * server queued. Closes with that count.
 */
@Component({
  selector: 'app-bulk-replay-dialog',
  imports: [
    MatButton,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatProgressBar,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ 'events.bulk.title' | t }}</h2>
    <mat-dialog-content data-testid="bulk-replay-dialog">
      @if (count() === null) {
        <p class="text">{{ 'events.bulk.text' | t }}</p>
        <dl class="facts" data-testid="bulk-replay-filter">
          @for (fact of facts(); track fact.label) {
            <dt>{{ fact.label }}</dt>
            <dd [attr.data-testid]="'bulk-replay-filter-' + fact.id">{{ fact.value }}</dd>
          }
        </dl>
        @if (unfinished()) {
          <p class="warning" role="alert" data-testid="bulk-replay-unfinished">
            {{ 'events.bulk.unfinished' | t: { status: statusText() } }}
          </p>
        } @else {
          @if (data.filters.status === 'skipped') {
            <p class="muted">{{ 'events.bulk.duplicatesNote' | t }}</p>
          }
          <!-- the only mode until field mappings and rules exist (nothing else changes processing yet) -->
          <p class="mode-label">{{ 'events.bulk.mode' | t }}</p>
          <p data-testid="bulk-replay-mode">
            {{ 'events.drawer.replayAsReceived' | t }}
            <span class="muted">— {{ 'events.drawer.replayAsReceivedHint' | t }}</span>
          </p>
        }
        @if (errorMessage(); as message) {
          <p class="error" role="alert" data-testid="bulk-replay-error">{{ message }}</p>
        }
        @if (sending()) {
          <mat-progress-bar mode="indeterminate" />
        }
      } @else {
        <p class="result" role="status" data-testid="bulk-replay-result">
          @if (count() === 0) {
            {{ 'events.bulk.nothing' | t }}
          } @else {
            {{ 'events.bulk.queued' | t: { count: count() ?? 0 } }}
          }
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (count() === null) {
        <button mat-button type="button" mat-dialog-close data-testid="bulk-replay-cancel">
          {{ 'common.cancel' | t }}
        </button>
        <button
          mat-flat-button
          type="button"
          data-testid="bulk-replay-confirm"
          [disabled]="sending() || unfinished()"
          (click)="confirm()"
        >
          {{ 'events.bulk.confirm' | t }}
        </button>
      } @else {
        <button mat-flat-button type="button" data-testid="bulk-replay-done" [mat-dialog-close]="count()">
          {{ 'events.bulk.done' | t }}
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .text {
      margin: 0 0 12px;
    }
    .facts {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 6px 16px;
      margin: 0 0 16px;
    }
    .facts dt {
      color: var(--mat-sys-on-surface-variant);
    }
    .facts dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .mode-label {
      margin: 8px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .warning,
    .error {
      margin: 8px 0 0;
      padding: 12px 16px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .result {
      margin: 0;
      font: var(--mat-sys-body-large);
    }
  `,
})
export class BulkReplayDialog {
  private readonly api = inject(EventsApi);
  private readonly i18n = inject(I18nService);
  private readonly ref = inject<MatDialogRef<BulkReplayDialog, number>>(MatDialogRef);
  protected readonly data = inject<BulkReplayDialogData>(MAT_DIALOG_DATA);

  protected readonly mode = signal<ReplayMode>('as_received');
  protected readonly sending = signal(false);
  protected readonly count = signal<number | null>(null);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  protected readonly unfinished = computed(() => {
    const status = this.data.filters.status;
    return status !== null && UNFINISHED_STATUSES.includes(status);
  });
  protected readonly statusText = computed(() => {
    const status = this.data.filters.status;
    return status ? statusLabel(status, null, this.i18n.t.bind(this.i18n)) : '';
  });

  /** The filter in words, one line per criterion. */
  protected readonly facts = computed(() => {
    const t = this.i18n.t.bind(this.i18n);
    const locale = this.i18n.locale();
    const { source, status, type, start, end, search } = this.data.filters;
    const day = (date: Date): string => formatLocalDate(date, locale, 'date') ?? '';
    let period = t('events.bulk.anyTime');
    if (start && end) {
      period = t('events.bulk.range', { from: day(start), to: day(end) });
    } else if (start) {
      period = t('events.bulk.since', { from: day(start) });
    } else if (end) {
      period = t('events.bulk.until', { to: day(end) });
    }
    const facts = [
      {
        id: 'status',
        label: t('events.filters.status'),
        value: status ? statusLabel(status, null, t) : t('events.bulk.statusDefault'),
      },
      {
        id: 'source',
        label: t('events.filters.source'),
        value: source ? sourceLabel(source, t) : t('events.bulk.any'),
      },
      {
        id: 'type',
        label: t('events.filters.type'),
        value: type ? eventTypeLabel(type, t) : t('events.bulk.any'),
      },
      { id: 'period', label: t('audit.filters.period'), value: period },
    ];
    if (search.trim()) {
      facts.push({ id: 'search', label: t('events.filters.search'), value: search.trim() });
    }
    return facts;
  });

  protected confirm(): void {
    if (this.sending() || this.unfinished()) {
      return;
    }
    this.sending.set(true);
    this.error.set(null);
    this.ref.disableClose = true;
    this.api
      .bulkReplay(filterParams(this.data.filters), this.mode())
      .pipe(
        finalize(() => {
          this.sending.set(false);
          this.ref.disableClose = false;
        }),
      )
      .subscribe({
        next: ({ count }) => this.count.set(count),
        error: (error: unknown) => this.error.set(error),
      });
  }
}
