import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { MicroBatcher } from '../batching/micro-batcher';
import { newId } from '../database/columns';
import { assertValidKey } from './idempotency-key';
import { InboxAdapterRegistry } from './inbox-adapter.registry';
import { InboxDeliveriesRepository } from './inbox-deliveries.repository';
import { InboxEventsRepository, type NewDelivery, type StoredDelivery } from './inbox-events.repository';
import { InboxMetrics } from './inbox-metrics';
import { addFirstRuns } from './inbox-first-runs';
import { INBOX_QUEUE, type ProcessEventJobData } from './inbox-queue';
import { InboxRejectionEntity } from './inbox-rejection.entity';
import { InboxRejectionsRepository } from './inbox-rejections.repository';
import { InboxStatsService } from './inbox-stats.service';
import {
  WebhookBadRequestProblem,
  WebhookNotFoundProblem,
  WebhookRejectedProblem,
  WebhookTooManyChangesProblem,
} from './inbox.problems';
import { InboxBadRequest, type AcceptedDelivery, type InboxDelivery } from './source-adapter';
import { WebhookSecretsService } from './webhook-secrets.service';

/** A webhook request as the controller hands it over. */
export interface IncomingWebhook {
  source: string;
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  remoteIp: string;
  /**
   * A delivery a sender POSTed to the api (webhook entry, webhooks controller): counted per second for the workers,
   * which slow down while these pour in. Internal sources (reconciliation, the service's own events) leave it unset.
   */
  overHttp?: boolean;
}

/** A delivery waiting for its micro-batch. */
type IntakeItem = NewDelivery & { overHttp: boolean };

export interface IntakeResult {
  id: string;
  /**
   * `accepted`: stored and queued (a repeated delivery too: its run finds its changes claimed and ends
   * skipped/duplicate without processing them); `empty`: nothing to process (stored as skipped/filtered).
   */
  status: 'accepted' | 'empty';
}

const BASE_HEADERS = ['content-type', 'user-agent', 'x-request-id', 'x-forwarded-for', 'x-real-ip'];
/** Redis may be down: the event is stored, the sweeper will queue it; the sender is not kept waiting. */
const ENQUEUE_TIMEOUT_MS = 2_000;
/** Keeps one INSERT well under MySQL's max_allowed_packet (bodies are sent hex-encoded). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The hot path: secret (cached) → adapter.accept (+ verify) → one multi-row INSERT for a micro-batch of
 * concurrent deliveries → one Redis call adding their runs (job id = event id) → answer. Nothing is
 * acknowledged before it is committed. What can wait for the worker does: claiming the idempotency keys
 * (which decides duplicates) happens at the start of the first run.
 */
@Injectable()
export class InboxIntakeService {
  private readonly logger = new Logger(InboxIntakeService.name);
  private readonly batcher: MicroBatcher<IntakeItem, StoredDelivery>;

  constructor(
    private readonly registry: InboxAdapterRegistry,
    private readonly secrets: WebhookSecretsService,
    private readonly events: InboxEventsRepository,
    private readonly deliveries: InboxDeliveriesRepository,
    private readonly rejections: InboxRejectionsRepository,
    @InjectQueue(INBOX_QUEUE) private readonly queue: Queue<ProcessEventJobData>,
    private readonly stats: InboxStatsService,
    private readonly metrics: InboxMetrics,
  ) {
    this.batcher = new MicroBatcher(
      (batch) => this.store(batch),
      { maxItems: 200, maxBytes: MAX_BATCH_BYTES, maxConcurrent: 4 },
      (item) => item.rawBody.length * 2 + 1024,
    );
  }

  async receive(webhook: IncomingWebhook): Promise<IntakeResult> {
    const adapter = this.registry.get(webhook.source);
    const owner = adapter ? await this.secrets.resolve(webhook.secret) : null;
    if (!adapter || !owner || owner.source !== webhook.source) {
      this.metrics.rejected.inc({ source: adapter ? webhook.source : 'unknown', reason: 'unknown_secret' });
      // never the secret itself: it is the credential of the address
      this.logger.debug(
        { source: webhook.source, remoteIp: webhook.remoteIp },
        'webhook to an unknown address',
      );
      throw new WebhookNotFoundProblem();
    }
    const delivery: InboxDelivery = {
      workspaceId: owner.workspaceId,
      source: webhook.source,
      headers: webhook.headers,
      rawBody: webhook.rawBody,
      contentType: mediaType(webhook.headers['content-type']),
    };
    let accepted: AcceptedDelivery;
    try {
      accepted = adapter.accept(delivery);
    } catch (error) {
      if (!(error instanceof InboxBadRequest)) throw error;
      if (error.reason === 'too_many_changes') {
        // a readable delivery refused for its size: kept for the admin like the other refusals
        await this.recordRejection(owner.workspaceId, webhook, error.reason, error.message);
        throw new WebhookTooManyChangesProblem(error.message);
      }
      this.metrics.rejected.inc({ source: webhook.source, reason: error.reason });
      this.logger.warn(
        {
          workspaceId: owner.workspaceId,
          source: webhook.source,
          reason: error.reason,
          detail: error.message,
        },
        'webhook delivery refused as unreadable',
      );
      throw new WebhookBadRequestProblem(error.reason, error.message);
    }
    accepted.keys.forEach(assertValidKey);
    if (adapter.verify) {
      const verdict = await adapter.verify(delivery, accepted);
      if (!verdict.ok) {
        await this.recordRejection(owner.workspaceId, webhook, verdict.reason, verdict.detail);
        throw new WebhookRejectedProblem(verdict.reason, verdict.detail);
      }
    }

    const stored = await this.batcher.submit({
      id: newId(),
      workspaceId: owner.workspaceId,
      source: webhook.source,
      eventType: accepted.eventType.slice(0, 64),
      contentType: delivery.contentType.slice(0, 100),
      headers: keptHeaders(webhook, adapter.keepHeaders ?? []),
      rawBody: webhook.rawBody,
      summary: accepted.summary,
      keys: accepted.keys.map(({ key, entityType, entityId }) => ({ key, entityType, entityId })),
      overHttp: webhook.overHttp === true,
    });
    if (stored.status === 'queued') {
      this.metrics.accepted.inc({ source: webhook.source });
      this.stats.count(owner.workspaceId, 'received');
      return { id: stored.id, status: 'accepted' };
    }
    this.metrics.empty.inc({ source: webhook.source });
    this.stats.count(owner.workspaceId, 'skipped');
    return { id: stored.id, status: 'empty' };
  }

  /**
   * One micro-batch: commit the rows (one INSERT), then add their runs and count the webhooks among them (one Redis
   * call), then answer.
   */
  private async store(batch: IntakeItem[]): Promise<StoredDelivery[]> {
    this.metrics.batchSize.observe(batch.length);
    const stored = await this.deliveries.insertDeliveries(batch);
    const runs = stored.filter((event) => event.status === 'queued').map((event) => event.id);
    const webhooks = batch.filter((item, index) => item.overHttp && stored[index].status === 'queued').length;
    if (runs.length > 0) {
      // the jobs InboxQueueService.enqueue would add (generation 0), in one Redis call
      await withTimeout(addFirstRuns(this.queue, runs, webhooks), ENQUEUE_TIMEOUT_MS).catch(
        (error: unknown) => {
          // stored durably: answer anyway; the sweeper queues them once Redis is back
          this.logger.warn(
            `${runs.length} stored events not queued yet (the sweeper will): ${String(error)}`,
          );
          this.events
            .markNotQueued(runs)
            .catch((markError: unknown) =>
              this.logger.warn(`marking events not queued failed: ${String(markError)}`),
            );
        },
      );
    }
    return stored;
  }

  private async recordRejection(
    workspaceId: string,
    webhook: IncomingWebhook,
    reason: string,
    detail: string,
  ): Promise<void> {
    this.metrics.rejected.inc({ source: webhook.source, reason });
    const rejection = new InboxRejectionEntity();
    rejection.workspaceId = workspaceId;
    rejection.source = webhook.source;
    rejection.reason = reason.slice(0, 32);
    rejection.detail = detail.slice(0, 500);
    rejection.remoteIp = webhook.remoteIp.slice(0, 64);
    await this.rejections.insert(rejection);
    this.logger.warn({ workspaceId, source: webhook.source, reason, detail }, 'webhook delivery rejected');
  }
}

function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0].trim().toLowerCase();
}

function keptHeaders(webhook: IncomingWebhook, extra: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = { 'x-remote-ip': webhook.remoteIp };
  for (const name of [...BASE_HEADERS, ...extra]) {
    const value = webhook.headers[name];
    if (value !== undefined) kept[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, 1000);
  }
  return kept;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
