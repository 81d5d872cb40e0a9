import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MicroBatcher } from '../batching/micro-batcher';
import { AppConfig } from '../config/app-config';
import type { DomainEvent } from './domain-events';
import { DomainEventsService } from './domain-events.service';
import { finishedStatus } from './event-status';
import { InboxAdapterRegistry } from './inbox-adapter.registry';
import type { EventIdempotency, InboxEventEntity } from './inbox-event.entity';
import { eventView } from './inbox-event-view';
import { InboxEventsRepository, type FinishFields } from './inbox-events.repository';
import { InboxMetrics } from './inbox-metrics';
import { InboxQueueService } from './inbox-queue.service';
import { InboxStatsService } from './inbox-stats.service';
import { LeaseLostError, ProcessingRun } from './processing-run';
import { errorText } from './processing-trace';
import { retryDecision } from './retry-schedule';
import {
  InboxPermanentError,
  type ProcessingOutcome,
  type SharedCommit,
  type SharedCommitGroup,
  type SkipReason,
} from './source-adapter';

/** What processing decided for a run, before it is committed. */
interface ProcessedRun {
  status: 'done' | 'skipped';
  skipReason: SkipReason | null;
  outcome: ProcessingOutcome;
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

  /**
   * One run of one event: claim it (with the runs starting at the same time), work out which of its changes are
   * its own, let the source's adapter process those, then commit (with the runs ending at the same time). A
   * failure schedules a retry or fails the event; a lost lease leaves it to the worker that took it over.
   */
  async handle(eventId: string): Promise<RunResult> {
    const event = await this.claimer.submit(eventId);
    if (!event?.leaseToken) return this.count('unknown', 'noop');
    const run = this.startRun(event, event.leaseToken);
    try {
      this.refuseAfterRepeatedCrashes(event);
      const idempotency = await this.claimChanges(event, run);
      const processed = await this.processOwnedChanges(event, idempotency, run);
      await this.commitRun(run, idempotency, processed);
      return this.finished(event, processed);
    } catch (error) {
      if (error instanceof LeaseLostError || run.leaseLost) {
        this.logger.warn(`event ${eventId}: the lease was lost; another worker finishes it`);
        return this.count(event.source, 'lease_lost');
      }
      return await this.failed(run, error);
    } finally {
      run.stop();
    }
  }

  /** The run holds the event's lease, renewed every third of it while it works. */
  private startRun(event: InboxEventEntity, token: string): ProcessingRun {
    return new ProcessingRun(event, token, {
      renew: () => this.events.renewLease(event.id, token, this.leaseMs),
      everyMs: Math.max(100, Math.floor(this.leaseMs / 3)),
      onRenewError: (error) => this.logger.warn(`renewing the lease of ${event.id} failed: ${String(error)}`),
    });
  }

  /** Taken over from workers that died on it again and again: do not let it kill this one too. */
  private refuseAfterRepeatedCrashes(event: InboxEventEntity): void {
    if (event.retries > this.config.webhookRetryDelaysMs.length)
      throw new InboxPermanentError(`The worker stopped ${event.retries} times while processing this event.`);
  }

  /**
   * Which changes of the delivery are this event's and which were carried by earlier events: decided on the first
   * run (usually together with other runs, see `claimBatch`) and kept for retries and replays.
   */
  private async claimChanges(event: InboxEventEntity, run: ProcessingRun): Promise<EventIdempotency> {
    const idempotency = (event.idempotency ??= await run.trace.step('claim changes', async () => {
      const claimed = await this.events.claimKeys([{ ...event, keys: event.changeKeys }]);
      return claimed.get(event.id) as EventIdempotency;
    }));
    run.trace.note('changes', { owned: idempotency.owned.length, duplicates: idempotency.duplicates.length });
    return idempotency;
  }

  /** The source's adapter processes the event, unless every change of it was carried by earlier events. */
  private async processOwnedChanges(
    event: InboxEventEntity,
    idempotency: EventIdempotency,
    run: ProcessingRun,
  ): Promise<ProcessedRun> {
    // every change of this delivery was carried by earlier events: nothing to process again
    if (idempotency.owned.length === 0) return { status: 'skipped', skipReason: 'duplicate', outcome: {} };
    const adapter = this.registry.get(event.source);
    if (!adapter) throw new Error(`no adapter for the source "${event.source}" is registered in this worker`);
    const outcome = await adapter.process(eventView(event, run.settingsVersion), run.trace);
    if (run.leaseLost) throw new LeaseLostError();
    return { ...finishedStatus(idempotency.owned, run.trace.skipped), outcome };
  }

  /** Marks the event finished together with the adapter's writes, if the run still holds its lease. */
  private async commitRun(
    run: ProcessingRun,
    idempotency: EventIdempotency,
    { status, skipReason, outcome }: ProcessedRun,
  ): Promise<void> {
    const committed = await this.finisher.submit({
      eventId: run.event.id,
      token: run.token,
      fields: {
        idempotency,
        status,
        skipReason,
        changes: outcome.changes ?? null,
        history: run.history(status),
        appliedSettingsVersion: run.settingsVersion,
      },
      commit: outcome.commit,
      shared: outcome.shared,
      domainEvents: run.trace.domainEvents,
    });
    if (committed instanceof Error) throw committed;
    if (!committed) throw new LeaseLostError();
  }

  private finished(event: InboxEventEntity, { status, skipReason }: ProcessedRun): RunResult {
    this.stats.count(event.workspaceId, skipReason === 'duplicate' ? 'duplicate' : status);
    if (skipReason === 'duplicate') this.metrics.duplicate.inc({ source: event.source });
    return this.count(event.source, status);
  }

  /** A failed run: retried later with backoff, or the event fails for good (permanent error, retries used up). */
  private async failed(run: ProcessingRun, error: unknown): Promise<RunResult> {
    const retries = run.event.retries + 1;
    const decision = retryDecision(
      retries,
      this.config.webhookRetryDelaysMs,
      error instanceof InboxPermanentError,
    );
    return decision.action === 'retry'
      ? this.scheduleRetry(run, errorText(error), retries, decision.delayMs)
      : this.deadLetter(run, errorText(error), retries);
  }

  private async scheduleRetry(
    run: ProcessingRun,
    message: string,
    retries: number,
    delayMs: number,
  ): Promise<RunResult> {
    const { event } = run;
    const generation = event.generation + 1;
    const retryAt = new Date(Date.now() + delayMs).toISOString();
    const held = await this.events.scheduleRetry(event.id, run.token, {
      generation,
      retries,
      delayMs,
      error: message,
      history: run.history('retry', { error: message, retryAt }),
      idempotency: event.idempotency,
    });
    if (!held) return this.count(event.source, 'lease_lost');
    // if this add is lost, the sweeper finds the queued event without a job and queues it again
    await this.queue
      .enqueue([{ id: event.id, generation, delayMs }])
      .catch((enqueueError: unknown) =>
        this.logger.warn(`retry of ${event.id} not queued yet: ${String(enqueueError)}`),
      );
    this.stats.count(event.workspaceId, 'retried');
    return this.count(event.source, 'retry');
  }

  private async deadLetter(run: ProcessingRun, message: string, retries: number): Promise<RunResult> {
    const { event } = run;
    const held = await this.events.fail(event.id, run.token, {
      retries,
      error: message,
      history: run.history('failed', { error: message }),
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
    await this.domainEvents.publishAll(
      finishing.flatMap((run) => run.domainEvents),
      { manager },
    );
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
