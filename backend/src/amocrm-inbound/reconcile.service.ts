import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import type { CountryCode } from 'libphonenumber-js';
import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import { AmocrmNotConnectedError } from '../amocrm/amocrm.problems';
import { AmocrmClient } from '../amocrm/client/amocrm-client';
import {
  AmocrmConnectionsService,
  type AmocrmAccountIdentity,
} from '../amocrm/connection/amocrm-connections.service';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedActor } from '../auth/current-principal.decorator';
import { AppConfig } from '../config/app-config';
import type { ContactEntity } from '../contacts/contact.entity';
import { ContactsService } from '../contacts/contacts.service';
import { InboxIntakeService } from '../inbox/inbox-intake.service';
import { WebhookSecretsService } from '../inbox/webhook-secrets.service';
import type { LeadEntity } from '../leads/lead.entity';
import { LeadsService } from '../leads/leads.service';
import { KeyedLockService, type HeldLocks } from '../sync/keyed-lock.service';
import { SyncMetadataService } from '../sync/sync-metadata.service';
import { LockBusyProblem } from '../sync/sync.problems';
import { AMOCRM_INBOUND_QUEUE, RECONCILE_JOB, RECONCILE_SOURCE } from './amocrm-inbound.constants';
import { AmocrmEntityVersionsRepository } from './amocrm-entity-versions.repository';
import type { ReconcileCounts } from './amocrm-reconcile-state.entity';
import { AmocrmReconcileStatesRepository } from './amocrm-reconcile-states.repository';
import { alreadyApplied } from './reconcile-decisions';
import { JSON_CONTENT_TYPE, reconcileBody, type ReconciledEntity } from './reconcile-delivery';
import type { MappingContext } from './webhook-mapping';

export interface ReconcileJobData {
  workspaceId: string;
}

export interface ReconcileStatus {
  /** When the last pass started. */
  lastRunAt: Date | null;
  /** When a pass last finished without error (the watermark moved then). */
  lastSuccessAt: Date | null;
  /** The `filter[updated_at][from]` of the last pass. */
  since: Date | null;
  contacts: ReconcileCounts | null;
  leads: ReconcileCounts | null;
  running: boolean;
  lastError: string | null;
}

export type ReconcileResult =
  | { outcome: 'done'; since: number; contacts: ReconcileCounts; leads: ReconcileCounts }
  | { outcome: 'busy' | 'not_connected' };

/** The watermark overlaps the previous pass by this much (clock skew between us and amoCRM, late writes). */
export const RECONCILE_OVERLAP_SECONDS = 120;
/** The first pass of a workspace reads back at most this far (and not before the connection was made). */
export const FIRST_PASS_SECONDS = 24 * 3600;
/** A pass that started longer ago than this without finishing is not shown as running (its worker died). */
const RUNNING_FOR_AT_MOST_MS = 3_600_000;
const LOCK_TTL_MS = 60_000;
/** Deliveries fed to the inbox at once (they share its micro-batched inserts). */
const FEED_CONCURRENCY = 50;

/**
 * Reconciliation: what changed in amoCRM since the last good pass (`filter[updated_at][from]`, sync lane, paged)
 * is compared with the versions the mirror applied, and every entity whose version the mirror has not seen is fed
 * through the inbox as a `reconcile` delivery, so it is stored, shown on the events page and processed like a
 * webhook. The watermark (per workspace) moves to the pass's start only when the pass succeeds, and the next pass
 * overlaps it a little. One pass at a time per workspace across workers (a Redis lock).
 */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger('Reconcile');
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    @InjectQueue(AMOCRM_INBOUND_QUEUE) private readonly queue: Queue<ReconcileJobData>,
    private readonly connections: AmocrmConnectionsService,
    private readonly client: AmocrmClient,
    private readonly intake: InboxIntakeService,
    private readonly secrets: WebhookSecretsService,
    private readonly contacts: ContactsService,
    private readonly leads: LeadsService,
    private readonly versions: AmocrmEntityVersionsRepository,
    private readonly states: AmocrmReconcileStatesRepository,
    private readonly locks: KeyedLockService,
    private readonly audit: AuditService,
    private readonly metadata: SyncMetadataService,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  /** An admin asks for a pass now: queued (a pass already queued for the workspace absorbs it). */
  async request(actor: AuthenticatedActor): Promise<void> {
    const workspaceId = actor.principal.workspaceId;
    if (!(await this.connections.getAccountIdentity(workspaceId))) throw new AmocrmNotConnectedError();
    await this.enqueue(workspaceId);
    await this.audit.record(actor, {
      action: 'amocrm.reconcile_requested',
      targetType: 'amocrm_connection',
      targetId: workspaceId,
    });
  }

  /** The scheduled job: a pass for every connected workspace. */
  async queueAll(): Promise<number> {
    const workspaceIds = await this.connections.connectedWorkspaceIds();
    for (const workspaceId of workspaceIds) await this.enqueue(workspaceId);
    return workspaceIds.length;
  }

  async status(workspaceId: string, now = new Date()): Promise<ReconcileStatus> {
    const state = await this.states.find(workspaceId);
    const started = state?.runStartedAt ?? null;
    const finished = state?.runFinishedAt ?? null;
    return {
      lastRunAt: started,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      since: state?.lastSince != null ? new Date(state.lastSince * 1000) : null,
      contacts: state?.contacts ?? null,
      leads: state?.leads ?? null,
      running:
        started !== null &&
        (finished === null || finished < started) &&
        now.getTime() - started.getTime() < RUNNING_FOR_AT_MOST_MS,
      lastError: state?.lastError ?? null,
    };
  }

  /** One pass for one workspace (the worker's job); another pass of the workspace running means `busy`. */
  async run(workspaceId: string): Promise<ReconcileResult> {
    const account = await this.connections.getAccountIdentity(workspaceId);
    if (!account) return { outcome: 'not_connected' };
    try {
      return await this.locks.withLocks(
        [`amocrm:reconcile:${workspaceId}`],
        (held) => this.pass(workspaceId, account, held),
        { ttlMs: LOCK_TTL_MS, waitMs: 0 },
      );
    } catch (error) {
      if (error instanceof LockBusyProblem) return { outcome: 'busy' };
      throw error;
    }
  }

  private async pass(
    workspaceId: string,
    account: AmocrmAccountIdentity,
    held: HeldLocks,
  ): Promise<ReconcileResult> {
    const startedAt = new Date();
    const start = Math.floor(startedAt.getTime() / 1000);
    const since = await this.sinceFor(workspaceId, start);
    await this.states.markStarted(workspaceId, since, startedAt);
    const counts = { contacts: emptyCounts(), leads: emptyCounts() };
    try {
      const { secret } = await this.secrets.secretFor(workspaceId, RECONCILE_SOURCE);
      const api = this.client.forWorkspace(workspaceId, 'sync');
      const filter = { updated_at: { from: since } };
      for await (const page of api.listContacts({ filter, order: { id: 'asc' }, with: ['leads'] })) {
        held.assertHeld();
        await this.feed(workspaceId, account, secret, 'contacts', page, counts.contacts);
      }
      for await (const page of api.listLeads({ filter, order: { id: 'asc' }, with: ['contacts'] })) {
        held.assertHeld();
        await this.feed(workspaceId, account, secret, 'leads', page, counts.leads);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.states.markFailed(workspaceId, message, counts, new Date());
      this.logger.warn({ workspaceId, error: message }, 'amoCRM reconciliation failed');
      throw error;
    }
    await this.states.markSucceeded(workspaceId, start, counts, new Date());
    this.logger.log({ workspaceId, since, ...counts }, 'amoCRM reconciliation done');
    return { outcome: 'done', since, ...counts };
  }

  /** From the watermark minus the overlap; a first pass from the connection time (at most a day back). */
  private async sinceFor(workspaceId: string, start: number): Promise<number> {
    const state = await this.states.find(workspaceId);
    if (state?.watermark != null) return state.watermark - RECONCILE_OVERLAP_SECONDS;
    const connectedAt = (await this.connections.get(workspaceId))?.connectedAt;
    const connected = connectedAt ? Math.floor(connectedAt.getTime() / 1000) - RECONCILE_OVERLAP_SECONDS : 0;
    return Math.max(connected, start - FIRST_PASS_SECONDS);
  }

  /** Feeds the page's entities whose version the mirror has not applied; counts what it saw. */
  private async feed(
    workspaceId: string,
    account: AmocrmAccountIdentity,
    secret: string,
    entity: ReconciledEntity,
    page: (AmoContact | AmoLead)[],
    counts: ReconcileCounts,
  ): Promise<void> {
    const ids = page.map((item) => item.id);
    const [applied, rows] = await Promise.all([
      this.versions.findMany(workspaceId, entity === 'contacts' ? 'contact' : 'lead', ids),
      entity === 'contacts'
        ? this.contacts.mirrorRowsOf(workspaceId, ids)
        : this.leads.mirrorRowsOf(workspaceId, ids),
    ]);
    const byId = new Map<number, ContactEntity | LeadEntity>(
      rows.map((row) => [row.amocrmId as number, row]),
    );
    const mapping: MappingContext = {
      metadata: await this.metadata.cached(workspaceId),
      region: this.region,
      syncedAt: new Date(),
    };
    const fresh = page.filter(
      (item) => !alreadyApplied(item, byId.get(item.id), applied.get(item.id)?.version ?? null, mapping),
    );
    counts.seen += page.length;
    counts.upToDate += page.length - fresh.length;
    for (let start = 0; start < fresh.length; start += FEED_CONCURRENCY) {
      await Promise.all(
        fresh.slice(start, start + FEED_CONCURRENCY).map((item) =>
          this.intake.receive({
            source: RECONCILE_SOURCE,
            secret,
            headers: { 'content-type': JSON_CONTENT_TYPE, 'user-agent': 'amocrm-reconcile' },
            rawBody: Buffer.from(
              reconcileBody({
                account: { id: account.accountId, subdomain: account.subdomain },
                entity,
                items: [item],
              }),
            ),
            remoteIp: 'internal',
          }),
        ),
      );
      counts.queued += Math.min(FEED_CONCURRENCY, fresh.length - start);
    }
  }

  private async enqueue(workspaceId: string): Promise<void> {
    await this.queue.add(
      RECONCILE_JOB,
      { workspaceId },
      { jobId: `reconcile:${workspaceId}`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
    );
  }
}

function emptyCounts(): ReconcileCounts {
  return { seen: 0, queued: 0, upToDate: 0 };
}
