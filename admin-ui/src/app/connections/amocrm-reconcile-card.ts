import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { type Subscription, finalize, switchMap, takeWhile, timer } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { AmocrmApi } from '../core/amocrm/amocrm-api';
import type { AmocrmReconcileStatus } from '../core/amocrm/amocrm.models';

/** How often the card looks again while a pass it started runs, and for how long at most. */
const POLL_MS = 2_000;
const POLL_TIMES = 30;

/**
 * Reconciliation with amoCRM: when the last pass ran, from when it read changes and what it found (everyone), and
 * "Reconcile now" (admins, while amoCRM is connected), after which the card follows the pass until it ends.
 */
@Component({
  selector: 'app-amocrm-reconcile-card',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatButton,
    MatIcon,
    MatProgressBar,
    LocalDatePipe,
    TranslatePipe,
  ],
  templateUrl: './amocrm-reconcile-card.html',
  styleUrl: './amocrm-reconcile-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AmocrmReconcileCard {
  private readonly api = inject(AmocrmApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);

  /** Whether amoCRM is connected: a pass needs it. */
  readonly connected = input(false);
  /** Whether the user may start a pass (admins). */
  readonly canRun = input(false);

  protected readonly status = signal<AmocrmReconcileStatus | null>(null);
  protected readonly busy = signal(false);
  /** A pass was asked for here and has not finished yet. */
  protected readonly waiting = signal(false);
  private readonly failure = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.failure();
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });
  protected readonly running = computed(() => this.waiting() || this.status()?.running === true);
  private polling: Subscription | null = null;

  constructor() {
    this.load();
  }

  protected load(): void {
    this.busy.set(true);
    this.failure.set(null);
    this.api
      .reconcileStatus()
      .pipe(
        finalize(() => this.busy.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (status) => this.status.set(status),
        error: (error: unknown) => this.failure.set(error),
      });
  }

  protected reconcile(): void {
    const before = this.status()?.lastRunAt ?? null;
    this.busy.set(true);
    this.failure.set(null);
    this.api
      .reconcile()
      .pipe(
        finalize(() => this.busy.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.notifier.info('amocrm.reconcile.queued');
          this.follow(before);
        },
        error: (error: unknown) => this.failure.set(error),
      });
  }

  /** Reads the status again until a pass newer than `before` has finished (or the card gives up). */
  private follow(before: string | null): void {
    this.polling?.unsubscribe();
    this.waiting.set(true);
    this.polling = timer(0, POLL_MS)
      .pipe(
        switchMap(() => this.api.reconcileStatus()),
        takeWhile(
          (status, index) => (status.lastRunAt === before || status.running) && index < POLL_TIMES - 1,
          true,
        ),
        finalize(() => this.waiting.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (status) => this.status.set(status),
        error: (error: unknown) => this.failure.set(error),
      });
  }
}
