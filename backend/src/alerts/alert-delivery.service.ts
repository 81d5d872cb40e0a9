import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { telegramText } from './alert-conditions';
import type { AlertDelivery, AlertEntity } from './alert.entity';
import { AlertSettingsService, type TelegramTarget } from './alert-settings.service';
import {
  ALERTS_QUEUE,
  DELIVER_TELEGRAM_JOB,
  TELEGRAM_RETRIES,
  TELEGRAM_RETRY_DELAY_MS,
  type DeliverTelegramJob,
} from './alerts.constants';
import { AlertsRepository } from './alerts.repository';
import { TelegramError, TelegramService } from './telegram.service';

const COLUMN = { raised: 'telegramRaised', resolved: 'telegramResolved' } as const;

/**
 * The Telegram message of an alert's raise or resolution: sent at once; when Telegram does not answer or answers
 * 429/5xx, marked `pending` and handed to one Bull job per (alert, kind) — the job id keeps it single — that tries
 * again with backoff and never sends once the message is marked `sent`. A refusal that retrying cannot mend
 * (token or chat refused) or the last try failing leaves it `failed`.
 */
@Injectable()
export class AlertDeliveryService {
  private readonly logger = new Logger('Alerts');

  constructor(
    @InjectQueue(ALERTS_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly repository: AlertsRepository,
    private readonly settings: AlertSettingsService,
    private readonly telegram: TelegramService,
  ) {}

  /** The first try, right after the raise or resolution was stored. */
  async deliver(
    alert: AlertEntity,
    kind: 'raised' | 'resolved',
    target: TelegramTarget | null,
  ): Promise<void> {
    if (!target) {
      await this.repository.setDelivery(alert.workspaceId, alert.id, COLUMN[kind], 'off');
      return;
    }
    const outcome = await this.send(alert, kind, target);
    if (outcome === 'retry') {
      await this.repository.setDelivery(alert.workspaceId, alert.id, COLUMN[kind], 'pending');
      await this.queue.add(
        DELIVER_TELEGRAM_JOB,
        { workspaceId: alert.workspaceId, alertId: alert.id, kind } satisfies DeliverTelegramJob,
        {
          jobId: `telegram:${alert.id}:${kind}`,
          attempts: TELEGRAM_RETRIES,
          delay: TELEGRAM_RETRY_DELAY_MS,
          backoff: { type: 'exponential', delay: TELEGRAM_RETRY_DELAY_MS },
          removeOnComplete: true,
          removeOnFail: 100,
        },
      );
      return;
    }
    await this.repository.setDelivery(alert.workspaceId, alert.id, COLUMN[kind], outcome);
  }

  /** A retry (the worker's job): throws to be tried again later; the last try marks the message `failed`. */
  async retry(job: Job<DeliverTelegramJob>): Promise<void> {
    const { workspaceId, alertId, kind } = job.data;
    const alert = await this.repository.find(workspaceId, alertId);
    if (!alert || alert[COLUMN[kind]] !== 'pending') return;
    if (kind === 'raised' && alert.state === 'resolved') {
      // cleared before its raise reached the chat: neither message is sent (see AlertsService.resolve)
      await this.repository.setDelivery(workspaceId, alertId, COLUMN[kind], 'failed');
      return;
    }
    const { telegram } = await this.settings.effective(workspaceId);
    if (!telegram) {
      await this.repository.setDelivery(workspaceId, alertId, COLUMN[kind], 'off');
      return;
    }
    const outcome = await this.send(alert, kind, telegram);
    if (outcome !== 'retry') {
      await this.repository.setDelivery(workspaceId, alertId, COLUMN[kind], outcome);
      return;
    }
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      await this.repository.setDelivery(workspaceId, alertId, COLUMN[kind], 'failed');
      return;
    }
    throw new Error('Telegram did not take the alert message yet; tried again later');
  }

  private async send(
    alert: AlertEntity,
    kind: 'raised' | 'resolved',
    target: TelegramTarget,
  ): Promise<AlertDelivery | 'retry'> {
    const text = telegramText(
      kind,
      alert,
      await this.settings.workspaceName(alert.workspaceId),
      this.config.publicUrl,
    );
    try {
      await this.telegram.send(target.token, target.chatId, text);
      return 'sent';
    } catch (error) {
      if (!(error instanceof TelegramError)) throw error;
      this.logger.warn(
        `alert message to Telegram for workspace ${alert.workspaceId} not delivered: ${error.message}`,
      );
      return error.retryable ? 'retry' : 'failed';
    }
  }
}
