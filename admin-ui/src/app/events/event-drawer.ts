import { Clipboard } from '@angular/cdk/clipboard';
import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, InjectionToken, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatProgressBar } from '@angular/material/progress-bar';
import { EMPTY, type Observable, catchError, filter, finalize, map, of, switchMap, timer } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { SideSheet } from '../shared/side-sheet';
import {
  attemptModeLabel,
  attemptResultLabel,
  eventEntityIds,
  eventTypeLabel,
  formatDuration,
  formatEventTime,
  skipReasonLabel,
  sourceLabel,
} from './event-labels';
import { changeItems, prettyPayload } from './event-payload';
import { traceDetailInRussian, traceKeyText, traceReasonText, traceStepText } from './trace-text';
import { traceErrorText } from './trace-error-text';
import { EventStatusChip } from './event-status-chip';
import { EventsApi } from './events-api';
import {
  type EventDetail,
  type EventListItem,
  type JsonValue,
  REPLAYABLE_STATUSES,
  type ReplayMode,
  UNFINISHED_STATUSES,
} from './events.models';
import { pageVisible } from '../core/page-visibility';

export interface EventDrawerData {
  id: string;
  /** What the list already shows, displayed while the full event loads. */
  initial?: EventListItem;
  /** Opens another event (e.g. the earlier delivery of a duplicate). */
  open?: (id: string) => void;
}

/** While the event is not finished, the side sheet reads it again this often (ms). */
export const EVENT_DRAWER_POLL_MS = new InjectionToken<number>('EVENT_DRAWER_POLL_MS', {
  factory: () => 3_000,
});

/**
 * One event in a side sheet: what it is, every processing run as a timeline of timed steps with
 * their errors, the parsed changes, the payload exactly as received (decoded and pretty, or as is,
 * with a copy button) and the headers. Managers and admins replay it (as received or with the
 * current settings) and dismiss a failed one.
 */
@Component({
  selector: 'app-event-drawer',
  imports: [
    MatButton,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatProgressBar,
    TranslatePipe,
    SideSheet,
    EventStatusChip,
  ],
  templateUrl: './event-drawer.html',
  styleUrls: ['../shared/record-drawer.scss', './event-drawer.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventDrawer {
  private readonly api = inject(EventsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly clipboard = inject(Clipboard);
  private readonly data = inject<EventDrawerData>(MAT_DIALOG_DATA);

  protected readonly summary = signal<EventListItem | null>(this.data.initial ?? null);
  protected readonly detail = signal<EventDetail | null>(null);
  protected readonly loading = signal(true);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => this.describe(this.loadError()));

  protected readonly canManage = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly busy = signal(false);
  private readonly actionError = signal<{ error: unknown; conflict: TranslationKey } | null>(null);
  protected readonly actionErrorMessage = computed(() => {
    const failure = this.actionError();
    if (!failure) {
      return null;
    }
    return failure.error instanceof HttpErrorResponse && failure.error.status === 409
      ? this.i18n.t(failure.conflict)
      : this.describe(failure.error);
  });

  protected readonly showRaw = signal(false);
  protected readonly changesAsJson = signal(false);

  private readonly t = this.i18n.t.bind(this.i18n);

  protected readonly typeText = computed(() => {
    const event = this.summary();
    return event ? eventTypeLabel(event.type, this.t) : null;
  });
  protected readonly sourceText = computed(() => {
    const event = this.summary();
    return event ? sourceLabel(event.source, this.t) : null;
  });
  protected readonly receivedText = computed(() =>
    formatEventTime(this.summary()?.receivedAt, this.i18n.locale()),
  );
  protected readonly processedText = computed(() =>
    formatEventTime(this.summary()?.processedAt, this.i18n.locale()),
  );
  protected readonly nextAttemptText = computed(() =>
    formatEventTime(this.summary()?.nextAttemptAt, this.i18n.locale()),
  );
  /** In Russian mode, what the last error means (its text stays beside it as a detail). */
  protected readonly lastErrorHint = computed(() => this.errorHint(this.summary()?.lastError));
  /** Which settings the event was received and processed with, in words (0 = never changed). */
  protected readonly settingsText = computed(() => {
    const event = this.detail();
    if (!event) {
      return null;
    }
    const received = this.versionText(event.settingsVersion);
    const applied = event.appliedSettingsVersion ?? event.settingsVersion;
    return applied === event.settingsVersion
      ? received
      : this.t('events.drawer.settingsValue', { received, applied: this.versionText(applied) });
  });
  protected readonly entityIds = computed(() => {
    const event = this.detail() ?? this.summary();
    return event ? eventEntityIds(event) : [];
  });
  protected readonly summaryLines = computed(() =>
    Object.entries(this.summary()?.summary ?? {}).map(([key, value]) => ({
      key,
      value: Array.isArray(value)
        ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ')
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    })),
  );

  protected readonly unfinished = computed(() => {
    const status = this.summary()?.status;
    return status !== undefined && UNFINISHED_STATUSES.includes(status);
  });
  /** Why «Повторить» is not possible now, or `null` when it is. */
  protected readonly replayBlocked = computed<TranslationKey | null>(() => {
    const event = this.summary();
    if (!event) {
      return null;
    }
    if (!REPLAYABLE_STATUSES.includes(event.status)) {
      return 'events.drawer.replayUnfinished';
    }
    return event.status === 'skipped' && event.skipReason === 'duplicate'
      ? 'events.drawer.replayDuplicate'
      : null;
  });

  protected readonly payload = computed(() => {
    const event = this.detail();
    return event ? prettyPayload(event.rawBody, event.contentType, event.rawBodyEncoding) : null;
  });
  protected readonly payloadText = computed(() => {
    const event = this.detail();
    const payload = this.payload();
    if (!event || !payload) {
      return '';
    }
    return this.showRaw() ? event.rawBody : payload.text;
  });
  protected readonly headers = computed(() =>
    Object.entries(this.detail()?.headers ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  );
  protected readonly changes = computed(() => changeItems(this.detail()?.changes ?? null));
  protected readonly changesJson = computed(() => JSON.stringify(this.detail()?.changes ?? null, null, 2));

  /** The runs, newest first, with their steps ready to show. */
  protected readonly attempts = computed(() => {
    const locale = this.i18n.locale();
    const russian = this.i18n.lang() === 'ru';
    return [...(this.detail()?.history ?? [])].reverse().map((run) => {
      const longest = Math.max(1, ...run.steps.map((step) => step.ms ?? 0));
      return {
        run,
        failed: run.result === 'failed' || run.result === 'retry',
        modeText: attemptModeLabel(run.mode, this.t),
        resultText: attemptResultLabel(run.result, this.t),
        startedText: formatEventTime(run.startedAt, locale),
        durationText: formatDuration(run.durationMs, locale, this.t),
        retryText: run.retryAt ? formatEventTime(run.retryAt, locale) : null,
        errorHint: this.errorHint(run.error),
        settingsText: this.versionText(run.settingsVersion),
        steps: run.steps.map((step) => ({
          step,
          name: russian ? traceStepText(step.name, step.ms === undefined) : step.name,
          note: step.ms === undefined,
          durationText: step.ms === undefined ? null : formatDuration(step.ms, locale, this.t),
          share: step.ms === undefined ? 0 : Math.max(2, Math.round((step.ms / longest) * 100)),
          detailText: this.detailText(step.detail, russian),
          errorHint: this.errorHint(step.error),
        })),
        skipped: run.skipped.map((skip) => ({
          what:
            skip.key === null
              ? this.t('events.trace.wholeEvent')
              : russian
                ? traceKeyText(skip.key)
                : skip.key,
          reason: skipReasonLabel(skip.reason, this.t),
          detail: skip.detail === undefined ? null : russian ? traceReasonText(skip.detail) : skip.detail,
        })),
      };
    });
  });

  constructor() {
    const interval = inject(EVENT_DRAWER_POLL_MS);
    const visible = pageVisible();
    // An unfinished event (e.g. just replayed) is read again until it is done.
    const watching = computed(() => this.unfinished() && visible());
    toObservable(watching)
      .pipe(
        switchMap((on) => (on ? timer(interval, interval) : EMPTY)),
        filter(() => !this.loading() && !this.busy()),
        switchMap(() => this.fetch()),
        takeUntilDestroyed(),
      )
      .subscribe();
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.fetch()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe();
  }

  protected replay(mode: ReplayMode): void {
    const event = this.summary();
    if (!event || this.busy()) {
      return;
    }
    this.run(this.api.replay(event.id, mode).pipe(map(() => 'events.drawer.replayed' as const)), {
      conflict: 'events.drawer.notReplayable',
    });
  }

  protected dismiss(): void {
    const event = this.summary();
    if (!event || this.busy()) {
      return;
    }
    confirmAction(this.dialog, {
      title: 'events.drawer.dismissTitle',
      text: 'events.drawer.dismissText',
      confirm: 'events.drawer.dismiss',
      danger: true,
    })
      .pipe(filter(Boolean))
      .subscribe(() =>
        this.run(this.api.dismiss(event.id).pipe(map(() => 'events.drawer.dismissed' as const)), {
          conflict: 'events.drawer.notDismissable',
        }),
      );
  }

  protected openOther(id: string): void {
    this.data.open?.(id);
  }

  protected copy(text: string): void {
    if (this.clipboard.copy(text)) {
      this.notifier.info('events.drawer.copied');
    }
  }

  private run(action: Observable<TranslationKey>, options: { conflict: TranslationKey }): void {
    this.busy.set(true);
    this.actionError.set(null);
    action.pipe(finalize(() => this.busy.set(false))).subscribe({
      next: (message) => {
        this.notifier.info(message);
        this.fetch().subscribe();
      },
      error: (error: unknown) => this.actionError.set({ error, conflict: options.conflict }),
    });
  }

  /** Reads the event; failures show in the sheet (the last known state stays). */
  private fetch(): Observable<void> {
    return this.api.getOne(this.data.id).pipe(
      map((event) => {
        this.detail.set(event);
        this.summary.set(event);
        this.loadError.set(null);
      }),
      catchError((error: unknown) => {
        this.loadError.set(error);
        return of(undefined);
      }),
    );
  }

  private versionText(version: number): string {
    return version === 0
      ? this.t('events.drawer.settingsInitial')
      : this.t('events.drawer.settingsNumber', { version });
  }

  /** A step's detail as text: in Russian mode its keys and known reasons in Russian words. */
  private detailText(detail: JsonValue | undefined, russian: boolean): string | null {
    if (detail === undefined) {
      return null;
    }
    const shown = russian ? traceDetailInRussian(detail) : detail;
    return typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2);
  }

  private errorHint(error: string | null | undefined): string | null {
    return error && this.i18n.lang() === 'ru' ? traceErrorText(error) : null;
  }

  private describe(error: unknown): string | null {
    return error === null || error === undefined ? null : describeHttpError(error, this.t).message;
  }
}
