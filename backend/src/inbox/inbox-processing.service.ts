import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { DomainEvent } from './domain-events';
import { DomainEventsService } from './domain-events.service';
import { finishedStatus } from './event-status';
import { InboxAdapterRegistry } from './inbox-adapter.registry';
import type { AttemptRecord, EventIdempotency, InboxEventEntity } from './inbox-event.entity';
import { eventView } from './inbox-event-view';
import { InboxEventsRepository, type FinishFields } from './inbox-events.repository';
import { InboxMetrics } from './inbox-metrics';
import { InboxQueueService } from './inbox-queue.service';
import { InboxStatsService } from './inbox-stats.service';
import { MicroBatcher } from './micro-batcher';
import { ProcessingTrace, errorText } from './processing-trace';
import { retryDecision } from './retry-schedule';
import {
  InboxPermanentError,
  type ProcessingOutcome,
  type SharedCommit,
  type SharedCommitGroup,
  type SkipReason,
} from './source-adapter';

const HISTORY_LIMIT = 20;

/** The run lost its lease: another worker took the event over, this run must not finish it. */
class LeaseLostError extends Error {
  constructor() {
    super('the processing lease was lost');
  }
}

export type RunResult = 'done' | 'skipped' | 'retry' | 'failed' | 'lease_lost' | 'noop';

/** A run whose work is done, waiting to be committed. */
interface FinishingRun {
  eventId: string;
  token: string;
  fields: FinishFields;
  commit?: (manager: EntityManager) => Promise<void>;
  shared?: SharedCommit;
  domainEvents: DomainEvent[];
}

/**
 * One run of one event, exactly once in effect: the run claims a lease on the row (renewed while it works),
 * the adapter does its work, and the row is marked done in the same transaction as the adapter's local writes,
 * only if the lease is still ours. A job for a finished event, or one whose lease another worker holds, is a
 * no-op. Failures are retried with backoff, then the event is failed (dead letter).
 *
 * Runs happening at the same time share their database round trips: their claims are one UPDATE + one SELECT
 * (+ one INSERT of idempotency keys), their commits one transaction.
 */
@Injectable()
export class InboxProcessingService {
  private readonly logger = new Logger(InboxProcessingService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly events: InboxEventsRepository,
    private readonly registry: InboxAdapterRegistry,
    private readonly queue: InboxQueueService,
    private readonly domainEvents: DomainEventsService,
    private readonly stats: InboxStatsService,
    private readonly metrics: InboxMetrics,
  ) {
    this.claimer = new MicroBatcher((ids) => this.claimBatch(ids), {
      maxItems: 100,
      maxBytes: 100,
      maxConcurrent: 2,
    });
    this.finisher = new MicroBatcher((runs) => this.finishBatch(runs), {
      maxItems: 50,
      maxBytes: 50,
      maxConcurrent: 2,
    });
  }

  /** Claims of the jobs running at the same time, made together (one UPDATE, one SELECT, one key INSERT). */
  private readonly claimer: MicroBatcher<string, InboxEventEntity | null>;
  /** Finished runs committed together: one transaction (one commit) for the runs that end at the same time. */
  private readonly finisher: MicroBatcher<FinishingRun, boolean | Error>;

  /** The lease of a run; the sweeper takes back events whose lease lapsed. */
  get leaseMs(): number {
    return this.config.inboxSweepAfterMs;
  }

  async handle(eventId: string): Promise<RunResult> {
    const event = await this.claimer.submit(eventId);
    if (!event?.leaseToken) return this.count('unknown', 'noop');
    const token = event.leaseToken;

    const abort = new AbortController();
    const heartbeat = setInterval(
      () => {
        this.events.renewLease(eventId, token, this.leaseMs).then(
          (held) => {
            if (!held) abort.abort(new LeaseLostError());
          },
          (error: unknown) => this.logger.warn(`renewing the lease of ${eventId} failed: ${String(error)}`),
        );
      },
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    const trace = new ProcessingTrace(abort.signal);
    const startedAt = new Date();
    const settingsVersion = event.appliedSettingsVersion ?? event.settingsVersion;
    const record = (result: AttemptRecord['result'], extra: Partial<AttemptRecord> = {}): AttemptRecord[] =>
      [
        ...event.history,
        {
          attempt: event.attempts,
          mode: event.mode,
          settingsVersion,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          result,
          steps: trace.steps,
          skipped: trace.skipped,
          ...extra,
        },
      ].slice(-HISTORY_LIMIT);

    try {
      if (event.retries > this.config.webhookRetryDelaysMs.length) {
        // taken over from workers that died on it again and again: do not let it kill this one too
        throw new InboxPermanentError(
          `The worker stopped ${event.retries} times while processing this event.`,
        );
      }
      const idempotency = (event.idempotency ??= await trace.step('claim changes', async () => {
        const claimed = await this.events.claimKeys([{ ...event, keys: event.changeKeys }]);
        return claimed.get(event.id) as EventIdempotency;
      }));
      trace.note('changes', { owned: idempotency.owned.length, duplicates: idempotency.duplicates.length });
      let outcome: ProcessingOutcome = {};
      let finished: { status: 'done' | 'skipped'; skipReason: SkipReason | null };
      if (idempotency.owned.length === 0) {
        // every change of this delivery was carried by earlier events: nothing to process again
        finished = { status: 'skipped', skipReason: 'duplicate' };
      } else {
        const adapter = this.registry.get(event.source);
        if (!adapter)
          throw new Error(`no adapter for the source "${event.source}" is registered in this worker`);
        outcome = await adapter.process(eventView(event, settingsVersion), trace);
        if (abort.signal.aborted) throw new LeaseLostError();
        finished = finishedStatus(idempotency.owned, trace.skipped);
      }
      const { status, skipReason } = finished;
      const committed = await this.finisher.submit({
        eventId,
        token,
        fields: {
          idempotency,
          status,
          skipReason,
          changes: outcome.changes ?? null,
          history: record(status),
          appliedSettingsVersion: settingsVersion,
        },
        commit: outcome.commit,
        shared: outcome.shared,
        domainEvents: trace.domainEvents,
      });
      if (committed instanceof Error) throw committed;
      if (!committed) throw new LeaseLostError();
      this.stats.count(event.workspaceId, skipReason === 'duplicate' ? 'duplicate' : status);
      if (skipReason === 'duplicate') this.metrics.duplicate.inc({ source: event.source });
      return this.count(event.source, status);
    } catch (error) {
      if (error instanceof LeaseLostError || abort.signal.aborted) {
        this.logger.warn(`event ${eventId}: the lease was lost; another worker finishes it`);
        return this.count(event.source, 'lease_lost');
      }
      return await this.failed(event, token, error, record);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async failed(
    event: InboxEventEntity,
    token: string,
    error: unknown,
    record: (result: AttemptRecord['result'], extra?: Partial<AttemptRecord>) => AttemptRecord[],
  ): Promise<RunResult> {
    const message = errorText(error);
    const retries = event.retries + 1;
    const decision = retryDecision(
      retries,
      this.config.webhookRetryDelaysMs,
      error instanceof InboxPermanentError,
    );
    if (decision.action === 'retry') {
      const generation = event.generation + 1;
      const retryAt = new Date(Date.now() + decision.delayMs).toISOString();
      const held = await this.events.scheduleRetry(event.id, token, {
        generation,
        retries,
        delayMs: decision.delayMs,
        error: message,
        history: record('retry', { error: message, retryAt }),
        idempotency: event.idempotency,
      });
      if (!held) return this.count(event.source, 'lease_lost');
      // if this add is lost, the sweeper finds the queued event without a job and queues it again
      await this.queue
        .enqueue([{ id: event.id, generation, delayMs: decision.delayMs }])
        .catch((enqueueError: unknown) =>
          this.logger.warn(`retry of ${event.id} not queued yet: ${String(enqueueError)}`),
        );
      this.stats.count(event.workspaceId, 'retried');
      return this.count(event.source, 'retry');
    }
    const held = await this.events.fail(event.id, token, {
      retries,
      error: message,
      history: record('failed', { error: message }),
      idempotency: event.idempotency,
    });
    if (!held) return this.count(event.source, 'lease_lost');
    this.logger.warn({ eventId: event.id, source: event.source, error: message }, 'inbox event failed');
    this.stats.count(event.workspaceId, 'failed');
    return this.count(event.source, 'failed');
  }

  /**
   * One batch of claims: the events that can be taken get one lease token; those running for the first time
   * get their idempotency keys claimed together (if that fails, each run claims its own).
   */
  private async claimBatch(ids: string[]): Promise<(InboxEventEntity | null)[]> {
    const claimed = new Map(
      (await this.events.claim(ids, randomUUID(), this.leaseMs)).map((event) => [event.id, event]),
    );
    const firstRuns = [...claimed.values()].filter((event) => event.idempotency === null);
    if (firstRuns.length > 0) {
      try {
        const resolved = await this.events.claimKeys(
          firstRuns.map((event) => ({ ...event, keys: event.changeKeys })),
        );
        for (const event of firstRuns) event.idempotency = resolved.get(event.id) ?? null;
      } catch (error) {
        this.logger.warn(
          `claiming the keys of ${firstRuns.length} events together failed, each run claims its own: ${String(error)}`,
        );
      }
    }
    return ids.map((id) => claimed.get(id) ?? null);
  }

  /**
   * Commits finished runs together in one transaction: their rows are locked and only the runs still holding
   * their lease go on; the shares of their adapters' writes done together, then the rest of each run's writes,
   * then one UPDATE marks them finished, then their domain events are published. If anything in the batch throws,
   * the whole transaction is rolled back and each run is committed on its own (without shared writes), so only
   * the failing one fails.
   */
  private async finishBatch(runs: FinishingRun[]): Promise<(boolean | Error)[]> {
    try {
      return await this.dataSource.transaction((manager) => this.finishIn(manager, runs, true));
    } catch (error) {
      if (runs.length === 1) return [asError(error)];
      return Promise.all(
        runs.map((run) =>
          this.dataSource
            .transaction((manager) => this.finishIn(manager, [run], false))
            .then(([held]) => held, asError),
        ),
      );
    }
  }

  private async finishIn(manager: EntityManager, runs: FinishingRun[], share: boolean): Promise<boolean[]> {
    const held = await this.events.lockHeldLeases(
      manager,
      runs.map((run) => ({ id: run.eventId, leaseToken: run.token })),
    );
    const finishing = runs.filter((run) => held.has(run.eventId));
    if (share) {
      const groups = new Map<SharedCommitGroup<unknown>, unknown[]>();
      for (const { shared } of finishing) {
        if (!shared) continue;
        const items = groups.get(shared.group) ?? [];
        items.push(shared.item);
        groups.set(shared.group, items);
      }
      for (const [group, items] of groups) if (items.length > 1) await group.apply(manager, items);
    }
    for (const run of finishing) if (run.commit) await run.commit(manager);
    await this.events.finishHeld(
      manager,
      finishing.map((run) => ({ id: run.eventId, fields: run.fields })),
    );
    for (const run of finishing)
      for (const domainEvent of run.domainEvents) await this.domainEvents.publish(domainEvent, { manager });
    return runs.map((run) => held.has(run.eventId));
  }

  private count(source: string, result: RunResult): RunResult {
    this.metrics.processed.inc({ source, status: result });
    return result;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
