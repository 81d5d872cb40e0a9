import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedActor } from '../auth/current-principal.decorator';
import { AuditService } from '../audit/audit.service';
import { WorkspacesRepository } from '../auth/workspaces.repository';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../crypto/secret-box';
import { withNamedLock } from '../database/named-lock';
import { ConflictProblem, NotFoundProblem, ProblemException } from '../http/problem';
import { pageOf, type Page, type PageQueryDto } from '../http/pagination';
import { AlertChecksService } from './alert-checks.service';
import {
  activeKeyOf,
  effectiveSettings,
  telegramText,
  type AlertConditionSettings,
  type Holding,
} from './alert-conditions';
import { AlertEntity, type AlertDelivery } from './alert.entity';
import { AlertsRepository } from './alerts.repository';
import { TelegramError, TelegramService } from './telegram.service';

export interface AlertSettingsView extends AlertConditionSettings {
  telegramChatId: string | null;
  /** Whether a bot token is stored; the token itself is never returned. */
  tokenSet: boolean;
}

export type AlertSettingsInput = Partial<AlertConditionSettings> & {
  telegramBotToken?: string | null;
  telegramChatId?: string | null;
};

interface Telegram {
  token: string;
  chatId: string;
}

/**
 * Alerts of a workspace: the state machine per (condition, subject) — raised once (one stored alert, one
 * Telegram message), nothing more while it holds, resolved (and a "resolved" message) when it clears — run under
 * a named lock per workspace, with a unique key on the active alert as the second guard; the settings (conditions
 * on/off, thresholds, Telegram bot and chat); the list and read marks.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repository: AlertsRepository,
    private readonly checks: AlertChecksService,
    private readonly telegram: TelegramService,
    private readonly workspaces: WorkspacesRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

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

  /** Checks every condition now and raises or resolves; answers how many alerts were raised and resolved. */
  async evaluate(workspaceId: string): Promise<{ raised: number; resolved: number }> {
    return withNamedLock(this.dataSource, `alerts_${workspaceId}`, 60, async () => {
      const stored = await this.repository.findSettings(workspaceId);
      const settings = effectiveSettings(stored?.conditions ?? null);
      const results = await this.checks.check(workspaceId, settings);
      const active = new Map(
        (await this.repository.listActive(workspaceId)).map((alert) => [alert.activeKey, alert]),
      );
      const telegram = this.telegramOf(stored);
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

  private async raise(workspaceId: string, holding: Holding, telegram: Telegram | null): Promise<boolean> {
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
      readAt: null,
      telegramRaised: telegram ? 'failed' : 'off',
      telegramResolved: null,
    });
    if (!(await this.repository.insertActive(alert))) return false;
    if (telegram) {
      const delivery = await this.deliver(
        workspaceId,
        telegram,
        telegramText('raised', alert, await this.workspaceName(workspaceId), this.config.publicUrl),
      );
      await this.repository.setDelivery(workspaceId, alert.id, 'telegramRaised', delivery);
    }
    return true;
  }

  private async resolve(alert: AlertEntity, telegram: Telegram | null): Promise<boolean> {
    if (!(await this.repository.resolve(alert.workspaceId, alert.id, new Date()))) return false;
    const delivery: AlertDelivery = telegram
      ? await this.deliver(
          alert.workspaceId,
          telegram,
          telegramText('resolved', alert, await this.workspaceName(alert.workspaceId), this.config.publicUrl),
        )
      : 'off';
    await this.repository.setDelivery(alert.workspaceId, alert.id, 'telegramResolved', delivery);
    return true;
  }

  private async deliver(workspaceId: string, telegram: Telegram, text: string): Promise<AlertDelivery> {
    try {
      await this.telegram.send(telegram.token, telegram.chatId, text);
      return 'sent';
    } catch (error) {
      if (!(error instanceof TelegramError)) throw error;
      this.logger.warn(
        `alert message to Telegram for workspace ${workspaceId} not delivered: ${error.message}`,
      );
      return 'failed';
    }
  }

  private telegramOf(
    stored: { workspaceId: string; telegramToken: string | null; telegramChatId: string | null } | null,
  ): Telegram | null {
    if (!stored?.telegramToken || !stored.telegramChatId) return null;
    return {
      token: this.box.open(stored.telegramToken, tokenContext(stored.workspaceId)),
      chatId: stored.telegramChatId,
    };
  }

  private async workspaceName(workspaceId: string): Promise<string> {
    return (await this.workspaces.findById(workspaceId))?.name ?? workspaceId;
  }

  async settings(workspaceId: string): Promise<AlertSettingsView> {
    const stored = await this.repository.findSettings(workspaceId);
    return {
      ...effectiveSettings(stored?.conditions ?? null),
      telegramChatId: stored?.telegramChatId ?? null,
      tokenSet: Boolean(stored?.telegramToken),
    };
  }

  /** Saves what the body names; a token given is sealed, `null` clears it, absent keeps it. */
  async saveSettings(actor: AuthenticatedActor, input: AlertSettingsInput): Promise<AlertSettingsView> {
    const workspaceId = actor.principal.workspaceId;
    const stored = await this.repository.findSettings(workspaceId);
    const { telegramBotToken, telegramChatId, ...conditions } = input;
    const merged = { ...effectiveSettings(stored?.conditions ?? null), ...conditions };
    const token =
      telegramBotToken === undefined
        ? (stored?.telegramToken ?? null)
        : telegramBotToken === null
          ? null
          : this.box.seal(telegramBotToken, tokenContext(workspaceId));
    await this.repository.saveSettings(workspaceId, {
      conditions: merged,
      telegramToken: token,
      telegramChatId: telegramChatId === undefined ? (stored?.telegramChatId ?? null) : telegramChatId,
    });
    await this.audit.record(actor, {
      action: 'alerts.settings_changed',
      targetType: 'alert_settings',
      targetId: workspaceId,
      details: {
        changed: Object.keys(input).sort(),
        tokenSet: token !== null,
      },
    });
    return this.settings(workspaceId);
  }

  /** Sends a test message with the stored bot and chat. */
  async sendTest(actor: AuthenticatedActor): Promise<void> {
    const workspaceId = actor.principal.workspaceId;
    const telegram = this.telegramOf(await this.repository.findSettings(workspaceId));
    if (!telegram)
      throw new ConflictProblem('Set the Telegram bot token and chat id first', 'telegram-not-set');
    const name = await this.workspaceName(workspaceId);
    try {
      await this.telegram.send(
        telegram.token,
        telegram.chatId,
        `Проверка: уведомления из интеграции amoCRM и LPTracker будут приходить сюда.\nПространство: ${name}\nОткрыть: ${this.config.publicUrl}/alerts`,
      );
    } catch (error) {
      if (!(error instanceof TelegramError)) throw error;
      throw new ProblemException(502, { type: 'telegram-failed', detail: error.message });
    }
  }

  async list(workspaceId: string, query: PageQueryDto): Promise<Page<AlertEntity> & { unread: number }> {
    const [items, total] = await this.repository.page(
      workspaceId,
      (query.page - 1) * query.limit,
      query.limit,
    );
    return { ...pageOf(items, total, query), unread: await this.repository.countUnread(workspaceId) };
  }

  async markRead(workspaceId: string, id: string): Promise<AlertEntity> {
    const alert = await this.repository.find(workspaceId, id);
    if (!alert) throw new NotFoundProblem('Alert');
    await this.repository.markRead(workspaceId, id, new Date());
    return (await this.repository.find(workspaceId, id)) ?? alert;
  }
}

const tokenContext = (workspaceId: string): string => `alert_settings.telegram_token:${workspaceId}`;
