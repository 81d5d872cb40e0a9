import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { JsonObject } from '../database/columns';
import { InboxAdapterRegistry } from '../inbox/inbox-adapter.registry';
import { InboxIntakeService } from '../inbox/inbox-intake.service';
import { WebhookNotFoundProblem } from '../inbox/inbox.problems';
import {
  InboxBadRequest,
  InboxPermanentError,
  type InboxEventView,
  type ProcessingContext,
  type ProcessingOutcome,
} from '../inbox/source-adapter';
import { WebhookSecretsService } from '../inbox/webhook-secrets.service';
import {
  EngineWritesService,
  WRITE_ORIGINS,
  type EngineWriteNotice,
  type WriteOrigin,
} from '../sync/engine-writes';
import { refusalReason } from '../sync/lptracker/sync-refusal';
import { RuleRunnerMirror } from '../sync/rules/rule-runner-mirror.service';
import { EngineWriteAdapter, type EngineWriteProcessor } from './engine-write.adapter';
import {
  engineWriteBody,
  engineWriteKey,
  JSON_CONTENT_TYPE,
  parseEngineWriteBody,
  type EngineWriteBody,
} from './engine-write-delivery';

/**
 * The inbound side of the engine's own writes for client apps and imports (issue #13 §1 sources `api`, `import`;
 * #14 "imported rows go through the same rules"). Each notice of EngineWritesService is recorded as an inbox event
 * of its origin through the intake (a secret of its own per workspace and source, as reconciliation does), so it is
 * stored, deduplicated, queued, retried, traced and replayable like a webhook. The worker runs the enabled rules of
 * that source on it (RuleRunnerMirror: contexts from the mirror). An event no rule acted on ends `skipped`
 * (`filtered`): the write itself was done by the API call or the import row, not by the event.
 */
@Injectable()
export class EngineInboundService implements OnModuleInit, EngineWriteProcessor {
  /** The secrets of (workspace, source), read once (the intake resolves them from its own cache). */
  private readonly secretsOf = new Map<string, Promise<string>>();

  constructor(
    private readonly registry: InboxAdapterRegistry,
    private readonly writes: EngineWritesService,
    private readonly intake: InboxIntakeService,
    private readonly secrets: WebhookSecretsService,
    private readonly rules: RuleRunnerMirror,
  ) {}

  onModuleInit(): void {
    for (const origin of WRITE_ORIGINS) this.registry.register(new EngineWriteAdapter(origin, this));
    this.writes.listen((notice) => this.record(notice));
  }

  /**
   * Stores the notice as an inbox event of its origin (a repeat of the same notice is a duplicate there). When no
   * enabled rule of that source is in force, the event is stored already skipped and costs the worker nothing.
   */
  async record(notice: EngineWriteNotice): Promise<void> {
    const watched = await this.rules.watches(notice.workspaceId, notice.origin);
    const rawBody = Buffer.from(engineWriteBody(notice, watched));
    const receive = async () =>
      this.intake.receive({
        source: notice.origin,
        secret: await this.secretOf(notice.workspaceId, notice.origin),
        headers: { 'content-type': JSON_CONTENT_TYPE, 'user-agent': `engine-${notice.origin}` },
        rawBody,
        remoteIp: 'internal',
      });
    try {
      await receive();
    } catch (error) {
      if (!(error instanceof WebhookNotFoundProblem)) throw error;
      // the secret was rotated since it was read: read it again once
      this.secretsOf.delete(`${notice.workspaceId}:${notice.origin}`);
      await receive();
    }
  }

  async process(
    event: InboxEventView,
    context: ProcessingContext,
    origin: WriteOrigin,
  ): Promise<ProcessingOutcome> {
    let body: EngineWriteBody;
    try {
      body = parseEngineWriteBody(event.rawBody, origin);
    } catch (error) {
      if (error instanceof InboxBadRequest) throw new InboxPermanentError(error.message);
      throw error;
    }
    const key = engineWriteKey(body).key;
    if (!event.owns(key)) return { changes: [] };
    const change: JsonObject = {
      key,
      entity: body.entity,
      id: body.id,
      amocrmId: body.amocrmId,
      events: body.events,
      changedFields: body.changedFields,
    };
    context.note(`${origin}: ${body.events.join(', ')}`, {
      entity: body.entity,
      id: body.amocrmId ?? body.id,
      changedFields: body.changedFields,
    });
    let result;
    try {
      result = await this.rules.run(event, key, body, context);
    } catch (error) {
      const reason = refusalReason(error);
      throw reason === null ? error : new InboxPermanentError(reason);
    }
    if (!result.ran) {
      context.skip(key, 'filtered', result.reason);
      return { changes: [change] };
    }
    if (!result.acted) context.skip(key, 'filtered', `no rule of the source ${origin} matched`);
    return { changes: [{ ...change, rules: result.records }] };
  }

  private secretOf(workspaceId: string, source: WriteOrigin): Promise<string> {
    const cacheKey = `${workspaceId}:${source}`;
    let secret = this.secretsOf.get(cacheKey);
    if (!secret) {
      secret = this.secrets.secretFor(workspaceId, source).then((found) => found.secret);
      secret.catch(() => this.secretsOf.delete(cacheKey));
      this.secretsOf.set(cacheKey, secret);
    }
    return secret;
  }
}
