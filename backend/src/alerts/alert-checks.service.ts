import { Injectable, Logger } from '@nestjs/common';
import { AmocrmConnectionsService } from '../amocrm/connection/amocrm-connections.service';
import {
  AmocrmWebhookService,
  type AmocrmWebhookState,
} from '../amocrm-inbound/webhook-subscription/amocrm-webhook.service';
import { InboxEventsService } from '../inbox/inbox-events.service';
import { LptrackerConnectionsService } from '../lptracker/connection/lptracker-connections.service';
import { LptrackerMetadataService } from '../lptracker/metadata/lptracker-metadata.service';
import { MAPPING_DIRECTIONS } from '../sync/mappings/mapping.types';
import { MappingsService } from '../sync/mappings/mappings.service';
import { ruleNeedsAmocrm } from '../sync/rules/rule-check';
import { RuleValidationService } from '../sync/rules/rule-validation.service';
import { RulesService } from '../sync/rules/rules.service';
import { SettingsVersionService } from '../settings/settings-version.service';
import {
  conditionEnabled,
  type AlertConditionId,
  type AlertConditionSettings,
  type ConditionCheck,
  type Holding,
} from './alert-conditions';
import { AlertsRepository, type FailedImport } from './alerts.repository';
import { brokenRuleCheck } from './broken-rule-words';
import { workingMsBetween } from './working-hours';

/** The sources whose deliveries count as "a webhook received". */
const WEBHOOK_SOURCES = ['amocrm', 'lptracker'] as const;
const HOUR_MS = 3_600_000;

const PAUSE_WORDS: Record<string, string> = {
  payment_required: 'amoCRM требует оплатить аккаунт (ответ 402)',
  forbidden: 'amoCRM запретил доступ (ответ 403)',
  blocked: 'amoCRM заблокировал аккаунт',
};

/** amoCRM webhook events in words, for a subscription lacking some (`status_lead` → «смена этапа сделки»). */
const WEBHOOK_EVENT_WORDS: Record<string, string> = {
  add_lead: 'новая сделка',
  update_lead: 'изменение сделки',
  status_lead: 'смена этапа сделки',
  delete_lead: 'удаление сделки',
  restore_lead: 'восстановление сделки',
  responsible_lead: 'смена ответственного за сделку',
  note_lead: 'примечание к сделке',
  add_contact: 'новый контакт',
  update_contact: 'изменение контакта',
  delete_contact: 'удаление контакта',
  restore_contact: 'восстановление контакта',
  responsible_contact: 'смена ответственного за контакт',
  note_contact: 'примечание к контакту',
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
    private readonly lptrackerMetadata: LptrackerMetadataService,
    private readonly events: InboxEventsService,
    private readonly mappings: MappingsService,
    private readonly repository: AlertsRepository,
    private readonly rules: RulesService,
    private readonly ruleMetadata: RuleValidationService,
    private readonly settingsVersion: SettingsVersionService,
  ) {}

  /** Every enabled condition checked for the workspace; a disabled one answers complete with nothing holding. */
  async check(workspaceId: string, settings: AlertConditionSettings): Promise<ConditionCheck[]> {
    const checks: [AlertConditionId, () => Promise<Holding[]>][] = [
      ['amocrm_connection', () => this.amocrmConnection(workspaceId)],
      ['lptracker_connection', () => this.lptrackerConnection(workspaceId)],
      ['amocrm_webhook', () => this.webhook(workspaceId)],
      ['dead_letter', () => this.deadLetter(workspaceId, settings.deadLetterCount)],
      ['inbox_lag', () => this.inboxLag(workspaceId, settings.inboxLagMinutes)],
      [
        'mapping_broken',
        async () => [...(await this.brokenMappings(workspaceId)), ...(await this.brokenRules(workspaceId))],
      ],
      ['import_failed', () => this.failedImports(workspaceId)],
      ['no_webhook', () => this.noWebhook(workspaceId, settings)],
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
    if (!(await this.amocrmConnected(workspaceId))) return [];
    const holding = webhookHolding(await this.amocrmWebhook.state(workspaceId));
    if (holding === null) throw new Unknown();
    return holding;
  }

  /** The webhook condition from a subscription state just read (after a subscribe or unsubscribe). */
  async webhookFromState(workspaceId: string, state: AmocrmWebhookState): Promise<ConditionCheck> {
    const holding = (await this.amocrmConnected(workspaceId)) ? webhookHolding(state) : [];
    return { condition: 'amocrm_webhook', complete: holding !== null, holding: holding ?? [] };
  }

  private async amocrmConnected(workspaceId: string): Promise<boolean> {
    return (await this.amocrm.get(workspaceId))?.status === 'connected';
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

  private async failedImports(workspaceId: string): Promise<Holding[]> {
    return (await this.repository.failedImports(workspaceId)).map(importHolding);
  }

  /**
   * No delivery from amoCRM or LPTracker for `noWebhookHours` of working time. A workspace that never received
   * one is not watched (nothing is set up to send yet: the first-steps checklist covers it).
   */
  private async noWebhook(workspaceId: string, settings: AlertConditionSettings): Promise<Holding[]> {
    const received = await Promise.all(
      WEBHOOK_SOURCES.map((source) => this.events.lastReceivedAt(workspaceId, source)),
    );
    const last = Math.max(...received.map((at) => at?.getTime() ?? 0));
    if (last === 0) return [];
    const threshold = settings.noWebhookHours * HOUR_MS;
    const schedule = {
      days: settings.workingDays,
      from: settings.workingHoursFrom,
      to: settings.workingHoursTo,
      timeZone: settings.timeZone,
    };
    if (workingMsBetween(new Date(last), new Date(), schedule, threshold) < threshold) return [];
    return [
      {
        condition: 'no_webhook',
        subject: 'webhooks',
        link: '/events',
        title: 'Давно не было уведомлений из CRM',
        detail: `Уведомлений от amoCRM и LPTracker не было ${settings.noWebhookHours} ч. рабочего времени. Проверьте подключения и подписку на уведомления.`,
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
          title: `Сопоставление полей ${quoted(project.name)} (${DIRECTION_WORDS[direction]}) сломано`,
          detail: `Ошибок: ${problems.length}. Скорее всего, поле удалили в CRM: откройте сопоставление и выберите другое поле.`,
        });
      }
    }
    return holding;
  }

  /**
   * Enabled rules that name a field, stage, pipeline, user or option the CRM no longer has (checked against the
   * metadata caches, as saving a rule checks them; refreshed by the periodic metadata reload or «Обновить»). A rule
   * naming amoCRM while its metadata is not there yet is left out: nothing can be told of it.
   */
  private async brokenRules(workspaceId: string): Promise<Holding[]> {
    const version = await this.settingsVersion.currentSettingsVersion(workspaceId);
    const rules = await this.rules.forRun(workspaceId, version);
    if (rules.length === 0) return [];
    const meta = await this.ruleMetadata.metadata(workspaceId);
    // the projects turned off keep their last metadata: what they would fix is told as "project turned off"
    const snapshots = await this.lptrackerMetadata.allSnapshots(workspaceId);
    const holding: Holding[] = [];
    for (const { ruleId, document } of rules) {
      if (meta.amocrm === null && ruleNeedsAmocrm(document)) continue;
      const broken = brokenRuleCheck(document, meta, snapshots);
      if (!broken) continue;
      holding.push({
        condition: 'mapping_broken',
        subject: `rule:${ruleId}`,
        link: `/rules/${ruleId}`,
        title: `Правило ${quoted(document.name)} сломано`,
        detail: broken.detail,
      });
    }
    return holding;
  }
}

/** What the subscription state says of the webhook condition; null when amoCRM could not be asked. */
function webhookHolding(state: AmocrmWebhookState): Holding[] | null {
  if (state.registered === null) return null;
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
        detail: `amoCRM не присылает часть изменений (${state.drift.missing.map((event) => WEBHOOK_EVENT_WORDS[event] ?? event).join(', ')}). Подпишитесь снова.`,
      },
    ];
  return [];
}

/** Failed imports not followed by a successful one: one alert per import. */
function importHolding(upload: FailedImport): Holding {
  return {
    condition: 'import_failed',
    subject: upload.id,
    link: '/imports',
    title: `Импорт ${quoted(upload.fileName)} не удался`,
    detail: `${upload.error ?? 'Импорт остановился с ошибкой'}. Откройте импорт, проверьте файл и загрузите его снова.`,
  };
}

/** A name in «…»; quotes of its own become „…“ (never «…«…»»), as the console writes them. */
function quoted(name: string): string {
  return `«${name.replace(/«/g, '„').replace(/»/g, '“')}»`;
}

/** The state could not be read (the CRM did not answer): the condition is left as it was. */
class Unknown extends Error {}
