import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  InjectionToken,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Subject, type Subscription, debounceTime } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { type RuleField, findField } from './rule-catalog';
import { RulesApi } from './rules-api';
import type { BacktestResult, ConditionOutcome, PlannedRequest, RuleBody } from './rules.models';

/** How long the panel waits after the last edit before it tries the draft again; null: only on «Проверить». */
export const RULE_TEST_DEBOUNCE_MS = new InjectionToken<number | null>('RULE_TEST_DEBOUNCE_MS', {
  factory: () => 1500,
});

/**
 * «Проверка на последних событиях»: the draft tried on the 20 newest stored events
 * (`POST /api/v1/rules/backtest`), each sample explained: conditions with the value seen (✓/✗), the actions
 * and the requests that would go out. Nothing is sent or stored. While the server has no such route the panel
 * says so plainly (no made-up results).
 */
@Component({
  selector: 'app-rule-test-panel',
  imports: [MatButton, MatProgressBar, LocalDatePipe, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rule-test-panel.html',
  styleUrl: './rule-test-panel.scss',
})
export class RuleTestPanel {
  private readonly api = inject(RulesApi);
  private readonly i18n = inject(I18nService);
  private readonly debounceMs = inject(RULE_TEST_DEBOUNCE_MS);

  /** The draft as it would be saved (null while it cannot be built). */
  readonly rule = input<RuleBody | null>(null);
  readonly fields = input<readonly RuleField[]>([]);

  protected readonly running = signal(false);
  protected readonly result = signal<BacktestResult | null>(null);
  /** The server has no backtest route yet. */
  protected readonly unavailable = signal(false);
  /** The server refused the draft (400): what it said, by path. */
  protected readonly invalid = signal<Record<string, string> | null>(null);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });
  protected readonly invalidList = computed(() => Object.entries(this.invalid() ?? {}));

  private readonly edits = new Subject<void>();
  private request: Subscription | null = null;

  constructor() {
    const delay = this.debounceMs;
    if (delay !== null) {
      this.edits
        .pipe(debounceTime(delay), takeUntilDestroyed(inject(DestroyRef)))
        .subscribe(() => this.run());
      effect(() => {
        if (this.rule() && !this.unavailable()) {
          this.edits.next();
        }
      });
    }
  }

  run(): void {
    const rule = this.rule();
    if (!rule) {
      return;
    }
    this.request?.unsubscribe();
    this.running.set(true);
    this.error.set(null);
    this.invalid.set(null);
    this.request = this.api.backtest(rule, 20).subscribe({
      next: (result) => {
        this.running.set(false);
        this.result.set(result);
      },
      error: (error: unknown) => {
        this.running.set(false);
        this.result.set(null);
        if (error instanceof HttpErrorResponse && (error.status === 404 || error.status === 405)) {
          this.unavailable.set(true);
        } else if (error instanceof HttpErrorResponse && error.status === 400) {
          this.invalid.set(describeHttpError(error, (key, params) => this.i18n.t(key, params)).fieldErrors);
        } else {
          this.error.set(error);
        }
      },
    });
  }

  protected fieldName(ref: string): string {
    return findField(this.fields(), ref)?.name ?? ref;
  }

  protected operator(condition: ConditionOutcome): string {
    return this.i18n.t(`rules.operators.${condition.op}`);
  }

  protected value(value: unknown): string {
    if (value === undefined || value === null || value === '') {
      return '—';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  protected outcomeKey(outcome: string): TranslationKey {
    return `rules.test.outcomes.${outcome as 'matched'}`;
  }

  protected actionKey(type: string): TranslationKey {
    return `rules.actionTypes.${type as 'stop'}`;
  }

  protected eventLabel(type: string): string {
    const key = type.replace('.', '_');
    return Object.hasOwn(this.eventNames, key) ? this.i18n.t(`rules.events.${key as 'lead_created'}`) : type;
  }

  protected body(request: PlannedRequest): string {
    return request.body === undefined || request.body === null ? '' : JSON.stringify(request.body, null, 2);
  }

  private readonly eventNames = {
    lead_created: 1,
    lead_updated: 1,
    lead_stage_changed: 1,
    lead_deleted: 1,
    contact_created: 1,
    contact_updated: 1,
    contact_deleted: 1,
    call_finished: 1,
  };
}
