import { Injectable, Logger } from '@nestjs/common';
import { AmocrmConnectionsService } from '../amocrm/connection/amocrm-connections.service';
import { AmocrmWebhookService } from '../amocrm-inbound/webhook-subscription/amocrm-webhook.service';
import { InboxEventsService } from '../inbox/inbox-events.service';
import { LptrackerConnectionsService } from '../lptracker/connection/lptracker-connections.service';
import { MAPPING_DIRECTIONS } from '../sync/mappings/mapping.types';
import { MappingsService } from '../sync/mappings/mappings.service';
import {
  conditionEnabled,
  type AlertConditionId,
  type AlertConditionSettings,
  type ConditionCheck,
  type Holding,
} from './alert-conditions';

const PAUSE_WORDS: Record<string, string> = {
  payment_required: 'amoCRM требует оплатить аккаунт (ответ 402)',
  forbidden: 'amoCRM запретил доступ (ответ 403)',
  blocked: 'amoCRM заблокировал аккаунт',
};

const DIRECTION_WORDS: Record<string, string> = {
  lptracker_to_amocrm: 'LPTracker → amoCRM',
  amocrm_to_lptracker: 'amoCRM → LPTracker',
};

/**
 * Reads the state each alert condition looks at, from the services that own it (connections, the webhook
 * subscription, the inbox stats, the mappings' problems against current metadata). Reads only; decides nothing.
 */
@Injectable()
export class AlertChecksService {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly amocrm: AmocrmConnectionsService,
    private readonly amocrmWebhook: AmocrmWebhookService,
    private readonly lptracker: LptrackerConnectionsService,
    private readonly events: InboxEventsService,
    private readonly mappings: MappingsService,
  ) {}

  /** Every enabled condition checked for the workspace; a disabled one answers complete with nothing holding. */
  async check(workspaceId: string, settings: AlertConditionSettings): Promise<ConditionCheck[]> {
    const checks: [AlertConditionId, () => Promise<Holding[]>][] = [
      ['amocrm_connection', () => this.amocrmConnection(workspaceId)],
      ['lptracker_connection', () => this.lptrackerConnection(workspaceId)],
      ['amocrm_webhook', () => this.webhook(workspaceId)],
      ['dead_letter', () => this.deadLetter(workspaceId, settings.deadLetterCount)],
      ['inbox_lag', () => this.inboxLag(workspaceId, settings.inboxLagMinutes)],
      ['mapping_broken', () => this.brokenMappings(workspaceId)],
    ];
    const results: ConditionCheck[] = [];
    for (const [condition, run] of checks) {
      if (!conditionEnabled(settings, condition)) {
        results.push({ condition, complete: true, holding: [] });
        continue;
      }
      try {
        results.push({ condition, complete: true, holding: await run() });
      } catch (error) {
        if (!(error instanceof Unknown)) {
          this.logger.warn(`alert check ${condition} failed: ${(error as Error).message}`);
        }
        results.push({ condition, complete: false, holding: [] });
      }
    }
    return results;
  }

  private async amocrmConnection(workspaceId: string): Promise<Holding[]> {
    const connection = await this.amocrm.get(workspaceId);
    if (!connection) return [];
    const base = { condition: 'amocrm_connection' as const, subject: 'amocrm', link: '/connections/amocrm' };
    if (connection.status === 'needs_reauth')
      return [
        {
          ...base,
          title: 'amoCRM: нужно заново войти',
          detail:
            'amoCRM больше не принимает наш ключ доступа. Сделки не передаются, пока вы не подключите amoCRM снова.',
        },
      ];
    if (connection.status === 'paused')
      return [
        {
          ...base,
          title: 'amoCRM: обмен приостановлен',
          detail: `${PAUSE_WORDS[connection.pausedReason ?? ''] ?? 'amoCRM не пускает запросы'}. Сделки не передаются.`,
        },
      ];
    return [];
  }

  private async lptrackerConnection(workspaceId: string): Promise<Holding[]> {
    const { connection } = await this.lptracker.state(workspaceId);
    if (connection?.status !== 'needs_reauth') return [];
    return [
      {
        condition: 'lptracker_connection',
        subject: 'lptracker',
        link: '/connections/lptracker',
        title: 'LPTracker: нужно заново войти',
        detail:
          'LPTracker не принимает сохранённый логин и пароль. Лиды не передаются, пока вы не войдёте снова.',
      },
    ];
  }

  private async webhook(workspaceId: string): Promise<Holding[]> {
    const connection = await this.amocrm.get(workspaceId);
    if (connection?.status !== 'connected') return [];
    const state = await this.amocrmWebhook.state(workspaceId);
    if (state.registered === null) throw new Unknown();
    const base = { condition: 'amocrm_webhook' as const, subject: 'amocrm', link: '/connections/amocrm' };
    if (!state.registered)
      return [
        {
          ...base,
          title: 'amoCRM: уведомления не подключены',
          detail:
            'amoCRM не присылает нам изменения сделок: подписка на уведомления отключена. Подпишитесь снова.',
        },
      ];
    if (state.drift && state.drift.missing.length > 0)
      return [
        {
          ...base,
          title: 'amoCRM: подписка на уведомления неполная',
          detail: `amoCRM не присылает часть изменений (${state.drift.missing.join(', ')}). Подпишитесь снова.`,
        },
      ];
    return [];
  }

  private async deadLetter(workspaceId: string, threshold: number): Promise<Holding[]> {
    const { failed } = await this.events.statsFor(workspaceId);
    if (failed < threshold) return [];
    return [
      {
        condition: 'dead_letter',
        subject: 'inbox',
        link: '/events?status=failed',
        title: 'Есть события, которые не удалось обработать',
        detail: `Не обработано событий: ${failed}. Посмотрите причину и повторите их на странице событий.`,
      },
    ];
  }

  private async inboxLag(workspaceId: string, minutes: number): Promise<Holding[]> {
    const { oldestUnprocessedSeconds } = await this.events.statsFor(workspaceId);
    if (oldestUnprocessedSeconds === null || oldestUnprocessedSeconds < minutes * 60) return [];
    return [
      {
        condition: 'inbox_lag',
        subject: 'inbox',
        link: '/events',
        title: 'События ждут обработки слишком долго',
        detail: `Самое старое событие ждёт ${Math.floor(oldestUnprocessedSeconds / 60)} мин. (порог ${minutes} мин.). Возможно, не работает обработчик.`,
      },
    ];
  }

  private async brokenMappings(workspaceId: string): Promise<Holding[]> {
    const { projects } = await this.lptracker.state(workspaceId);
    const holding: Holding[] = [];
    for (const project of projects) {
      for (const direction of MAPPING_DIRECTIONS) {
        const problems = await this.mappings.problems(workspaceId, project.projectId, direction);
        if (problems.length === 0) continue;
        holding.push({
          condition: 'mapping_broken',
          subject: `${project.projectId}:${direction}`,
          link: '/mappings',
          title: `Сопоставление полей «${project.name}» (${DIRECTION_WORDS[direction]}) сломано`,
          detail: `Ошибок: ${problems.length}. Скорее всего, поле удалили в CRM: откройте сопоставление и выберите другое поле.`,
        });
      }
    }
    return holding;
  }
}

/** The state could not be read (the CRM did not answer): the condition is left as it was. */
class Unknown extends Error {}
