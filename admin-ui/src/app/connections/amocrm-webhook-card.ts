import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatTooltip } from '@angular/material/tooltip';
import { Observable, filter, finalize, switchMap } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { AmocrmApi } from '../core/amocrm/amocrm-api';
import { AmocrmWebhookState, unreachableFromInternet } from '../core/amocrm/amocrm-webhook-state';
import {
  AMOCRM_WEBHOOK_EVENTS,
  type AmocrmWebhook,
  type AmocrmWebhookEvent,
} from '../core/amocrm/amocrm.models';

/** Ticked for a first subscription: what the sync needs from amoCRM. */
const DEFAULT_EVENTS: readonly AmocrmWebhookEvent[] = [
  'add_lead',
  'update_lead',
  'status_lead',
  'delete_lead',
  'add_contact',
  'update_contact',
  'delete_contact',
];

type Busy = 'load' | 'subscribe' | 'unsubscribe' | 'rotate';

/**
 * The amoCRM webhook (admins): its address with a copy button, which events amoCRM sends,
 * subscribe/unsubscribe, a warning when amoCRM's subscription differs from ours, and a new secret.
 */
@Component({
  selector: 'app-amocrm-webhook-card',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCheckbox,
    MatButton,
    MatIconButton,
    MatIcon,
    MatTooltip,
    MatProgressBar,
    LocalDatePipe,
    TranslatePipe,
  ],
  templateUrl: './amocrm-webhook-card.html',
  styleUrl: './amocrm-webhook-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AmocrmWebhookCard {
  private readonly api = inject(AmocrmApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly clipboard = inject(Clipboard);
  private readonly dialog = inject(MatDialog);
  private readonly state = inject(AmocrmWebhookState);

  /** Whether amoCRM is connected: subscribing needs it. */
  readonly connected = input(false);

  protected readonly leadEvents = AMOCRM_WEBHOOK_EVENTS.filter((event) => event.endsWith('_lead'));
  protected readonly contactEvents = AMOCRM_WEBHOOK_EVENTS.filter((event) => event.endsWith('_contact'));

  protected readonly webhook = signal<AmocrmWebhook | null>(null);
  protected readonly selected = signal<ReadonlySet<string>>(new Set(DEFAULT_EVENTS));
  protected readonly busy = signal<Busy | null>(null);
  private readonly failure = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.failure();
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  /** PUBLIC_URL names a host only this network knows: amoCRM cannot deliver there. */
  protected readonly unreachable = computed(() => {
    const url = this.webhook()?.url;
    return url !== undefined && unreachableFromInternet(url);
  });
  protected readonly subscribed = computed(() => (this.webhook()?.events ?? null) !== null);
  protected readonly drift = computed(() => {
    const drift = this.webhook()?.drift;
    if (!drift) {
      return null;
    }
    const hasDrift = drift.missing.length + drift.unexpected.length + drift.staleDestinations.length > 0;
    return hasDrift
      ? {
          missing: drift.missing.map((event) => this.eventName(event)).join(', '),
          unexpected: drift.unexpected.map((event) => this.eventName(event)).join(', '),
          stale: drift.staleDestinations.length,
        }
      : null;
  });

  constructor() {
    // Read at once, and again when the connection starts or stops working (amoCRM's side may differ then).
    let wasConnected: boolean | null = null;
    effect(() => {
      const connected = this.connected();
      untracked(() => {
        if (wasConnected !== connected) {
          this.load();
        }
        wasConnected = connected;
      });
    });
  }

  protected load(): void {
    this.track('load', this.api.webhook()).subscribe((webhook) => this.show(webhook));
  }

  protected eventName(event: string): string {
    return (AMOCRM_WEBHOOK_EVENTS as readonly string[]).includes(event)
      ? this.i18n.t(`amocrm.webhook.eventNames.${event as AmocrmWebhookEvent}`)
      : event;
  }

  protected toggle(event: string, checked: boolean): void {
    this.selected.update((current) => {
      const next = new Set(current);
      if (checked) {
        next.add(event);
      } else {
        next.delete(event);
      }
      return next;
    });
  }

  protected copy(): void {
    const url = this.webhook()?.url;
    if (!url) {
      return;
    }
    if (this.clipboard.copy(url)) {
      this.notifier.info('amocrm.webhook.copied');
    } else {
      this.notifier.info('amocrm.webhook.copyFailed');
    }
  }

  protected subscribe(): void {
    const events = AMOCRM_WEBHOOK_EVENTS.filter((event) => this.selected().has(event));
    if (events.length === 0) {
      this.notifier.info('amocrm.webhook.chooseEvents');
      return;
    }
    this.track('subscribe', this.api.subscribeWebhook(events)).subscribe((webhook) => {
      this.show(webhook);
      this.notifier.info('amocrm.webhook.subscribed');
    });
  }

  /** After a confirmation: without the webhook, changes made in amoCRM stop arriving. */
  protected unsubscribe(): void {
    confirmAction(this.dialog, {
      title: 'amocrm.webhook.confirmUnsubscribe.title',
      text: 'amocrm.webhook.confirmUnsubscribe.text',
      confirm: 'amocrm.webhook.confirmUnsubscribe.confirm',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.track('unsubscribe', this.api.unsubscribeWebhook())),
      )
      .subscribe((webhook) => {
        this.show(webhook);
        this.notifier.info('amocrm.webhook.unsubscribed');
      });
  }

  protected rotate(): void {
    confirmAction(this.dialog, {
      title: 'amocrm.webhook.confirmRotate.title',
      text: 'amocrm.webhook.confirmRotate.text',
      confirm: 'amocrm.webhook.confirmRotate.confirm',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.track('rotate', this.api.rotateWebhookSecret())),
      )
      .subscribe((rotated) => {
        this.webhook.update((webhook) => (webhook ? { ...webhook, url: rotated.url } : webhook));
        this.notifier.info(`amocrm.webhook.rotated.${rotated.subscription}`);
        this.load();
      });
  }

  private show(webhook: AmocrmWebhook): void {
    this.webhook.set(webhook);
    this.state.set(webhook);
    if (webhook.events !== null) {
      this.selected.set(new Set(webhook.events));
    }
  }

  /** Runs a request with the card's progress bar; a failure is shown on the card, not re-thrown. */
  private track<T>(busy: Busy, request: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.busy.set(busy);
      this.failure.set(null);
      return request.pipe(finalize(() => this.busy.set(null))).subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          this.failure.set(error);
          subscriber.complete();
        },
        complete: () => subscriber.complete(),
      });
    });
  }
}
