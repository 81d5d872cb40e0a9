import { Injectable } from '@nestjs/common';
import { AmocrmError } from '../../amocrm/amocrm.problems';
import type { AmoWebhook, AmoWebhookEvent } from '../../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedActor } from '../../auth/current-principal.decorator';
import type { Actor } from '../../auth/principal';
import { AppConfig } from '../../config/app-config';
import { InboxEventsService } from '../../inbox/inbox-events.service';
import { WebhookSecretsService } from '../../inbox/webhook-secrets.service';
import { AMOCRM_WEBHOOK_SOURCE } from '../amocrm-inbound.constants';

export interface AmocrmWebhookState {
  url: string;
  events: string[] | null;
  registered: boolean | null;
  drift: { missing: string[]; unexpected: string[]; staleDestinations: string[] } | null;
  registrationUnknownReason: string | null;
  lastReceivedAt: Date | null;
}

export interface RotationResult {
  url: string;
  /** What happened to the amoCRM subscription of the old URL. */
  subscription: 'moved' | 'not_subscribed' | 'failed';
  detail: string | null;
}

/** Told after a subscribe or unsubscribe, with the state read right after it (the alerts check it at once). */
export interface AmocrmWebhookListener {
  subscriptionChanged(workspaceId: string, state: AmocrmWebhookState): Promise<void>;
}

/**
 * The workspace's amoCRM webhook: its URL (secret per workspace), and the subscription in amoCRM
 * (`/api/v4/webhooks`, through the shared amoCRM client: never two hooks for one destination).
 */
@Injectable()
export class AmocrmWebhookService {
  private readonly listeners: AmocrmWebhookListener[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: WebhookSecretsService,
    private readonly events: InboxEventsService,
    private readonly amocrm: AmocrmClient,
    private readonly audit: AuditService,
  ) {}

  /** Adds a listener (a module that follows the subscription registers in its onModuleInit). */
  addListener(listener: AmocrmWebhookListener): void {
    this.listeners.push(listener);
  }

  private async changed(workspaceId: string): Promise<AmocrmWebhookState> {
    const state = await this.state(workspaceId);
    for (const listener of this.listeners) await listener.subscriptionChanged(workspaceId, state);
    return state;
  }

  async state(workspaceId: string): Promise<AmocrmWebhookState> {
    const { secret, row } = await this.secrets.secretFor(workspaceId, AMOCRM_WEBHOOK_SOURCE);
    const url = this.secrets.urlFor(AMOCRM_WEBHOOK_SOURCE, secret);
    const lastReceivedAt = await this.events.lastReceivedAt(workspaceId, AMOCRM_WEBHOOK_SOURCE);
    const base = { url, events: row.events, lastReceivedAt };
    let hooks: AmoWebhook[];
    try {
      hooks = await this.amocrm.forWorkspace(workspaceId).listWebhooks();
    } catch (error) {
      if (!(error instanceof AmocrmError)) throw error;
      return { ...base, registered: null, drift: null, registrationUnknownReason: error.message };
    }
    const mine = hooks.filter((hook) => hook.destination === url && !hook.disabled);
    const actual = new Set(mine.flatMap((hook) => hook.settings));
    const expected = new Set(row.events ?? []);
    const ourPrefix = `${this.config.publicUrl}/webhooks/${AMOCRM_WEBHOOK_SOURCE}/`;
    return {
      ...base,
      registered: mine.length > 0,
      drift: {
        missing: [...expected].filter((event) => !actual.has(event)).sort(),
        unexpected: [...actual].filter((event) => !expected.has(event)).sort(),
        staleDestinations: hooks
          .map((hook) => hook.destination)
          .filter((destination) => destination.startsWith(ourPrefix) && destination !== url)
          .map((destination) => `${ourPrefix}***${destination.slice(-4)}`),
      },
      registrationUnknownReason: null,
    };
  }

  /** Subscribes the URL to exactly `events` in amoCRM (one hook per destination, unchanged if already so). */
  async subscribe(actor: AuthenticatedActor, events: string[]): Promise<AmocrmWebhookState> {
    return this.subscribeWorkspace(actor.principal.workspaceId, events, actor);
  }

  /** `subscribe` for a workspace; a null actor is the service itself, audited as `system`. */
  async subscribeWorkspace(
    workspaceId: string,
    events: readonly string[],
    actor: Actor | null,
  ): Promise<AmocrmWebhookState> {
    const url = await this.secrets.webhookUrl(workspaceId, AMOCRM_WEBHOOK_SOURCE);
    const result = await this.amocrm
      .forWorkspace(workspaceId)
      .subscribeWebhook(url, events as AmoWebhookEvent[]);
    await this.secrets.setEvents(workspaceId, AMOCRM_WEBHOOK_SOURCE, [...events].sort());
    await this.audit.record(actor, {
      action: 'amocrm.webhook_subscribed',
      targetType: 'webhook',
      targetId: AMOCRM_WEBHOOK_SOURCE,
      workspaceId,
      details: { events: [...events].sort(), outcome: result.outcome },
    });
    return this.changed(workspaceId);
  }

  async unsubscribe(actor: AuthenticatedActor): Promise<AmocrmWebhookState> {
    const workspaceId = actor.principal.workspaceId;
    const url = await this.secrets.webhookUrl(workspaceId, AMOCRM_WEBHOOK_SOURCE);
    await this.amocrm.forWorkspace(workspaceId).unsubscribeWebhook(url);
    await this.secrets.setEvents(workspaceId, AMOCRM_WEBHOOK_SOURCE, null);
    await this.audit.record(actor, {
      action: 'amocrm.webhook_unsubscribed',
      targetType: 'webhook',
      targetId: AMOCRM_WEBHOOK_SOURCE,
    });
    return this.changed(workspaceId);
  }

  /**
   * New secret, new URL; the old one stops working within seconds. When amoCRM was subscribed through us,
   * the subscription moves to the new URL (added first, then the old one removed).
   */
  async rotateSecret(actor: AuthenticatedActor): Promise<RotationResult> {
    const workspaceId = actor.principal.workspaceId;
    const { row } = await this.secrets.secretFor(workspaceId, AMOCRM_WEBHOOK_SOURCE);
    const { secret, previousSecret } = await this.secrets.rotate(workspaceId, AMOCRM_WEBHOOK_SOURCE);
    const url = this.secrets.urlFor(AMOCRM_WEBHOOK_SOURCE, secret);
    let result: RotationResult = { url, subscription: 'not_subscribed', detail: null };
    if (row.events && row.events.length > 0) {
      try {
        const api = this.amocrm.forWorkspace(workspaceId);
        await api.subscribeWebhook(url, row.events as AmoWebhookEvent[]);
        await api.unsubscribeWebhook(this.secrets.urlFor(AMOCRM_WEBHOOK_SOURCE, previousSecret));
        result = { url, subscription: 'moved', detail: null };
      } catch (error) {
        if (!(error instanceof AmocrmError)) throw error;
        result = {
          url,
          subscription: 'failed',
          detail: `The secret was rotated, but amoCRM could not be updated (${error.message}): subscribe again.`,
        };
      }
    }
    await this.audit.record(actor, {
      action: 'amocrm.webhook_secret_rotated',
      targetType: 'webhook',
      targetId: AMOCRM_WEBHOOK_SOURCE,
      details: { subscription: result.subscription },
    });
    return result;
  }
}
