import { Injectable } from '@nestjs/common';
import type { AuthenticatedActor } from '../auth/current-principal.decorator';
import { AuditService } from '../audit/audit.service';
import { WorkspacesRepository } from '../auth/workspaces.repository';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../crypto/secret-box';
import { ConflictProblem, ProblemException, ValidationProblem } from '../http/problem';
import { effectiveSettings, type AlertConditionSettings } from './alert-conditions';
import type { AlertSettingsEntity } from './alert.entity';
import { AlertsRepository } from './alerts.repository';
import { TelegramError, TelegramService } from './telegram.service';
import { isKnownTimeZone } from './working-hours';

export interface AlertSettingsView extends AlertConditionSettings {
  telegramChatId: string | null;
  /** Whether a bot token is stored; the token itself is never returned. */
  tokenSet: boolean;
}

export type AlertSettingsInput = Partial<AlertConditionSettings> & {
  telegramBotToken?: string | null;
  telegramChatId?: string | null;
};

/** The bot and chat a workspace's alerts go to. */
export interface TelegramTarget {
  token: string;
  chatId: string;
}

/**
 * A workspace's alert settings (conditions on/off, thresholds, working hours, the Telegram bot and chat: the
 * token sealed, never returned), the names and Telegram target the alerts use, and the test message.
 */
@Injectable()
export class AlertSettingsService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: AlertsRepository,
    private readonly telegram: TelegramService,
    private readonly workspaces: WorkspacesRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

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
    checkSchedule(merged);
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

  /** The stored settings with the conditions over the defaults, and the Telegram target (null when not set). */
  async effective(
    workspaceId: string,
  ): Promise<{ settings: AlertConditionSettings; telegram: TelegramTarget | null }> {
    const stored = await this.repository.findSettings(workspaceId);
    return { settings: effectiveSettings(stored?.conditions ?? null), telegram: this.telegramOf(stored) };
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

  async workspaceName(workspaceId: string): Promise<string> {
    return (await this.workspaces.findById(workspaceId))?.name ?? workspaceId;
  }

  private telegramOf(stored: AlertSettingsEntity | null): TelegramTarget | null {
    if (!stored?.telegramToken || !stored.telegramChatId) return null;
    return {
      token: this.box.open(stored.telegramToken, tokenContext(stored.workspaceId)),
      chatId: stored.telegramChatId,
    };
  }
}

/** The working hours must make sense together (each field alone is checked by the DTO). */
function checkSchedule(settings: AlertConditionSettings): void {
  if (settings.workingHoursFrom >= settings.workingHoursTo)
    throw new ValidationProblem([
      {
        field: 'workingHoursTo',
        code: 'workingHours',
        message: 'workingHoursTo must be later than workingHoursFrom',
      },
    ]);
  if (!isKnownTimeZone(settings.timeZone))
    throw new ValidationProblem([
      {
        field: 'timeZone',
        code: 'timeZone',
        message: 'timeZone must be an IANA time zone like Europe/Moscow',
      },
    ]);
}

const tokenContext = (workspaceId: string): string => `alert_settings.telegram_token:${workspaceId}`;
