import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AmocrmWebhookState } from '../amocrm-inbound/webhook-subscription/amocrm-webhook.service';
import { AmocrmWebhookService } from '../amocrm-inbound/webhook-subscription/amocrm-webhook.service';
import type { Principal } from '../auth/principal';
import { WorkspacesRepository } from '../auth/workspaces.repository';
import { withNamedLock } from '../database/named-lock';
import { NotFoundProblem, ProblemException } from '../http/problem';
import { pageOf, type Page, type PageQueryDto } from '../http/pagination';
import { AlertChecksService } from './alert-checks.service';
import { AlertDeliveryService } from './alert-delivery.service';
import { activeKeyOf, conditionEnabled, type ConditionCheck, type Holding } from './alert-conditions';
import { AlertEntity } from './alert.entity';
import { AlertSettingsService, type TelegramTarget } from './alert-settings.service';
import { AlertsRepository } from './alerts.repository';

/** An alert as one person sees it: `readAt` is when they read it (null: unread for them). */
export type AlertView = AlertEntity & { readAt: Date | null };

/**
 * Alerts of a workspace: the state machine per (condition, subject) — raised once (one stored alert, one
 * Telegram message), nothing more while it holds, resolved (and a "resolved" message) when it clears — run under
 * a named lock per workspace, with a unique key on the active alert as the second guard; the list and each
 * person's read marks. An amoCRM webhook subscription change is checked at once (this service listens to it).
 */
@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AlertsRepository,
    private readonly checks: AlertChecksService,
    private readonly settings: AlertSettingsService,
    private readonly delivery: AlertDeliveryService,
    private readonly workspaces: WorkspacesRepository,
    private readonly amocrmWebhook: AmocrmWebhookService,
  ) {}

  onModuleInit(): void {
    this.amocrmWebhook.addListener(this);
  }

  /** The periodic pass: every workspace in turn; one workspace's failure does not stop the others. */
  async evaluateAll(): Promise<void> {
    for (const workspace of await this.workspaces.listAll()) {
      try {
        await this.evaluate(workspace.id);
      } catch (error) {
        this.logger.warn(`alerts of workspace ${workspace.id} not evaluated: ${(error as Error).message}`);
      }
    }
  }

  /**
   * After a subscribe or unsubscribe: the webhook condition from the state just read (no second request to
   * amoCRM). Never fails the request that changed the subscription.
   */
  async subscriptionChanged(workspaceId: string, state: AmocrmWebhookState): Promise<void> {
    try {
      const known = await this.checks.webhookFromState(workspaceId, state);
      await this.evaluate(workspaceId, known);
    } catch (error) {
      this.logger.warn(
        `webhook alert of workspace ${workspaceId} not evaluated: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Checks every condition now (or only `known`, already checked) and raises or resolves; answers how many
   * alerts were raised and resolved.
   */
  async evaluate(workspaceId: string, known?: ConditionCheck): Promise<{ raised: number; resolved: number }> {
    return withNamedLock(this.dataSource, `alerts_${workspaceId}`, 60, async () => {
      const { settings, telegram } = await this.settings.effective(workspaceId);
      const results = known
        ? [conditionEnabled(settings, known.condition) ? known : { ...known, complete: true, holding: [] }]
        : await this.checks.check(workspaceId, settings);
      const active = new Map(
        (await this.repository.listActive(workspaceId)).map((alert) => [alert.activeKey, alert]),
      );
      let raised = 0;
      let resolved = 0;
      for (const result of results) {
        const holdingKeys = new Set<string>();
        for (const holding of result.holding) {
          const key = activeKeyOf(holding.condition, holding.subject);
          holdingKeys.add(key);
          if (!active.has(key) && (await this.raise(workspaceId, holding, telegram))) raised++;
        }
        if (!result.complete) continue;
        for (const [key, alert] of active) {
          if (alert.condition !== result.condition || holdingKeys.has(key ?? '')) continue;
          if (await this.resolve(alert, telegram)) resolved++;
        }
      }
      return { raised, resolved };
    });
  }

  private async raise(
    workspaceId: string,
    holding: Holding,
    telegram: TelegramTarget | null,
  ): Promise<boolean> {
    const alert = new AlertEntity();
    Object.assign(alert, {
      workspaceId,
      condition: holding.condition,
      subject: holding.subject.slice(0, 128),
      activeKey: activeKeyOf(holding.condition, holding.subject).slice(0, 191),
      state: 'active',
      title: holding.title.slice(0, 255),
      detail: holding.detail.slice(0, 1000),
      link: holding.link,
      raisedAt: new Date(),
      resolvedAt: null,
      telegramRaised: telegram ? 'pending' : 'off',
      telegramResolved: null,
    });
    if (!(await this.repository.insertActive(alert))) return false;
    await this.delivery.deliver(alert, 'raised', telegram);
    return true;
  }

  /** The "resolved" message goes only to a chat that got the raise (one still being retried is dropped). */
  private async resolve(alert: AlertEntity, telegram: TelegramTarget | null): Promise<boolean> {
    if (!(await this.repository.resolve(alert.workspaceId, alert.id, new Date()))) return false;
    const current = (await this.repository.find(alert.workspaceId, alert.id)) ?? alert;
    await this.delivery.deliver(current, 'resolved', current.telegramRaised === 'sent' ? telegram : null);
    return true;
  }

  /** The workspace's alerts, newest first, with the caller's read marks and unread count. */
  async list(principal: Principal, query: PageQueryDto): Promise<Page<AlertView> & { unread: number }> {
    const { workspaceId } = principal;
    const [alerts, total] = await this.repository.page(
      workspaceId,
      (query.page - 1) * query.limit,
      query.limit,
    );
    if (principal.kind !== 'user') {
      // an API key has no bell: nothing is ever read by it
      const items = alerts.map((alert) => Object.assign(alert, { readAt: null }));
      return { ...pageOf(items, total, query), unread: total };
    }
    const marks = await this.repository.readMarks(
      workspaceId,
      principal.id,
      alerts.map((alert) => alert.id),
    );
    const items = alerts.map((alert) => Object.assign(alert, { readAt: marks.get(alert.id) ?? null }));
    return {
      ...pageOf(items, total, query),
      unread: await this.repository.countUnread(workspaceId, principal.id),
    };
  }

  /** Marks it read for the calling person; an API key (no bell, no person) is refused with 403. */
  async markRead(principal: Principal, id: string): Promise<AlertView> {
    if (principal.kind !== 'user')
      throw new ProblemException(403, {
        type: 'alerts-read-needs-user',
        detail: 'Read marks belong to a person; an API key has no alert bell',
      });
    const alert = await this.repository.find(principal.workspaceId, id);
    if (!alert) throw new NotFoundProblem('Alert');
    await this.repository.markRead(principal.workspaceId, id, principal.id, new Date());
    const marks = await this.repository.readMarks(principal.workspaceId, principal.id, [id]);
    return Object.assign(alert, { readAt: marks.get(id) ?? null });
  }
}
