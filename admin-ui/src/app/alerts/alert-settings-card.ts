import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { finalize } from 'rxjs';

import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm } from '../core/api/field-errors';
import { describeHttpError, readProblem } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { AlertsApi, type AlertSettings, type AlertSettingsUpdate } from './alerts-api';

type Switch =
  | 'amocrmConnection'
  | 'lptrackerConnection'
  | 'amocrmWebhook'
  | 'deadLetter'
  | 'inboxLag'
  | 'mappingBroken'
  | 'importFailed'
  | 'noWebhook';

/** The conditions in display order, with the threshold that belongs to each (if any). */
const CONDITIONS: readonly {
  id: Switch;
  threshold?: 'deadLetterCount' | 'inboxLagMinutes' | 'noWebhookHours';
}[] = [
  { id: 'amocrmConnection' },
  { id: 'lptrackerConnection' },
  { id: 'amocrmWebhook' },
  { id: 'deadLetter', threshold: 'deadLetterCount' },
  { id: 'inboxLag', threshold: 'inboxLagMinutes' },
  { id: 'mappingBroken' },
  { id: 'importFailed' },
  { id: 'noWebhook', threshold: 'noWebhookHours' },
];

/** Monday first, as `workingDays` counts them. */
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The outcome of «Отправить тестовое сообщение», shown under the button. */
interface TestResult {
  ok: boolean;
  text: string;
}

/**
 * Admins: which conditions raise alerts (a switch and its threshold each), the Telegram bot token
 * (write-only: only «токен задан» is ever shown) and chat, a test message; field errors of a 400 inline.
 */
@Component({
  selector: 'app-alert-settings-card',
  imports: [
    NgTemplateOutlet,
    ReactiveFormsModule,
    MatButton,
    MatButtonToggle,
    MatButtonToggleGroup,
    MatCard,
    MatCardContent,
    MatCardHeader,
    MatCardTitle,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
    MatProgressBar,
    MatSlideToggle,
    TranslatePipe,
    FieldErrorPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alert-settings-card.html',
  styleUrl: './alert-settings-card.scss',
})
export class AlertSettingsCard {
  private readonly api = inject(AlertsApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);

  protected readonly conditions = CONDITIONS;
  protected readonly days = DAYS;
  protected readonly loaded = signal(false);
  protected readonly loadError = signal(false);
  protected readonly busy = signal(false);
  protected readonly tokenSet = signal(false);
  protected readonly formError = signal<string | null>(null);
  protected readonly testing = signal(false);
  protected readonly testResult = signal<TestResult | null>(null);

  protected readonly form = inject(FormBuilder).nonNullable.group({
    amocrmConnection: true,
    lptrackerConnection: true,
    amocrmWebhook: true,
    deadLetter: true,
    deadLetterCount: [1, Validators.required],
    inboxLag: true,
    inboxLagMinutes: [15, Validators.required],
    mappingBroken: true,
    importFailed: true,
    noWebhook: false,
    noWebhookHours: [4, Validators.required],
    workingDays: [[1, 2, 3, 4, 5] as number[], Validators.required],
    workingHoursFrom: [9, Validators.required],
    workingHoursTo: [18, Validators.required],
    timeZone: ['Europe/Moscow', Validators.required],
    telegramBotToken: '',
    telegramChatId: '',
  });

  constructor() {
    this.load();
  }

  protected labelOf(id: string): TranslationKey {
    return `alerts.settings.${id}` as TranslationKey;
  }

  protected dayLabel(day: number): TranslationKey {
    return `alerts.settings.days.${day}` as TranslationKey;
  }

  protected load(): void {
    this.loadError.set(false);
    this.busy.set(true);
    this.api
      .settings()
      .pipe(finalize(() => this.busy.set(false)))
      .subscribe({
        next: (settings) => this.show(settings),
        error: () => this.loadError.set(true),
      });
  }

  protected save(): void {
    this.formError.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const token = value.telegramBotToken.trim();
    const chatId = value.telegramChatId.trim();
    const update: AlertSettingsUpdate = {
      amocrmConnection: value.amocrmConnection,
      lptrackerConnection: value.lptrackerConnection,
      amocrmWebhook: value.amocrmWebhook,
      deadLetter: value.deadLetter,
      deadLetterCount: value.deadLetterCount,
      inboxLag: value.inboxLag,
      inboxLagMinutes: value.inboxLagMinutes,
      mappingBroken: value.mappingBroken,
      importFailed: value.importFailed,
      noWebhook: value.noWebhook,
      noWebhookHours: value.noWebhookHours,
      workingDays: [...value.workingDays].sort((a, b) => a - b),
      workingHoursFrom: value.workingHoursFrom,
      workingHoursTo: value.workingHoursTo,
      timeZone: value.timeZone.trim(),
      telegramChatId: chatId === '' ? null : chatId,
      ...(token === '' ? {} : { telegramBotToken: token }),
    };
    this.send(update, 'alerts.settings.saved');
  }

  protected removeToken(): void {
    this.formError.set(null);
    this.send({ telegramBotToken: null }, 'alerts.settings.tokenRemoved');
  }

  protected sendTest(): void {
    this.testResult.set(null);
    this.testing.set(true);
    this.api
      .sendTest()
      .pipe(finalize(() => this.testing.set(false)))
      .subscribe({
        next: () => this.testResult.set({ ok: true, text: this.i18n.t('alerts.settings.testSent') }),
        error: (error: unknown) => this.testResult.set({ ok: false, text: this.testErrorText(error) }),
      });
  }

  private send(update: AlertSettingsUpdate, done: TranslationKey): void {
    this.busy.set(true);
    this.api
      .saveSettings(update)
      .pipe(finalize(() => this.busy.set(false)))
      .subscribe({
        next: (settings) => {
          this.show(settings);
          this.notifier.info(done);
        },
        error: (error: unknown) => {
          if (!applyProblemToForm(this.form, error)) {
            this.formError.set(describeHttpError(error, (key, params) => this.i18n.t(key, params)).message);
          }
        },
      });
  }

  private show(settings: AlertSettings): void {
    const { tokenSet, telegramChatId, ...switches } = settings;
    this.form.reset({ ...switches, telegramChatId: telegramChatId ?? '', telegramBotToken: '' });
    this.tokenSet.set(tokenSet);
    this.loaded.set(true);
  }

  private testErrorText(error: unknown): string {
    const type = readProblem(error)?.type ?? '';
    if (type.endsWith('telegram-not-set')) {
      return this.i18n.t('alerts.settings.testNotSet');
    }
    if (type.endsWith('telegram-failed')) {
      return this.i18n.t('alerts.settings.testFailed', { detail: readProblem(error)?.detail ?? '' });
    }
    return describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  }
}
