/**
 * Benchmark only: an `amocrm` inbox adapter built from the real amoCRM form parser and normaliser
 * (`src/amocrm/webhooks`) and the inbox's amoCRM key builder, whose processing writes each change to
 * `inbox_bench_processed` (one row per change; `runs` > 1 would mean double processing). It stands in for the
 * amoCRM adapter, which another module will provide; loaded through INBOX_TEST_ADAPTERS (NODE_ENV=test).
 */
import type { JsonObject } from '../src/database/columns';
import {
  normaliseAmocrmWebhook,
  parseAmocrmWebhookForm,
  WebhookParseError,
  type AmocrmWebhookChange,
} from '../src/amocrm/webhooks';
import { amocrmKey, fingerprintOf } from '../src/inbox/idempotency-key';
import {
  InboxBadRequest,
  type AcceptedDelivery,
  type InboxDelivery,
  type InboxEventView,
  type InboxSourceAdapter,
  type ProcessingContext,
  type ProcessingOutcome,
} from '../src/inbox/source-adapter';

export const BENCH_TABLE_SQL = `CREATE TABLE IF NOT EXISTS inbox_bench_processed (
  workspace_id char(36) NOT NULL, change_key varchar(191) NOT NULL, event_id char(36) NOT NULL,
  runs int NOT NULL DEFAULT 1, PRIMARY KEY (workspace_id, change_key)) ENGINE=InnoDB`;

export function createInboxTestAdapters(): InboxSourceAdapter[] {
  return [new AmocrmFormBenchAdapter()];
}

class AmocrmFormBenchAdapter implements InboxSourceAdapter {
  readonly source = 'amocrm';

  accept(delivery: InboxDelivery): AcceptedDelivery {
    if (delivery.contentType !== 'application/x-www-form-urlencoded') {
      throw new InboxBadRequest('unsupported_content_type', 'amoCRM sends application/x-www-form-urlencoded');
    }
    const { account, changes } = parse(delivery.rawBody);
    const types = new Set(changes.map((change) => `${change.entity}.${change.action}`));
    const summary: JsonObject = {
      account: account.subdomain,
      entities: changes.map((change) => String(change.id)),
    };
    return { eventType: types.size === 1 ? [...types][0] : 'mixed', keys: changes.map(keyOf), summary };
  }

  async process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    const { changes } = await context.step('parse', () => parse(event.rawBody));
    const owned = changes.map((change) => keyOf(change).key).filter((key) => event.owns(key));
    return {
      commit: async (manager) => {
        if (owned.length === 0) return;
        await manager.query(
          `INSERT INTO inbox_bench_processed (workspace_id, change_key, event_id) VALUES ${owned.map(() => '(?, ?, ?)').join(', ')}
           ON DUPLICATE KEY UPDATE runs = runs + 1`,
          owned.flatMap((key) => [event.workspaceId, key, event.id]),
        );
      },
    };
  }
}

function parse(raw: Buffer): ReturnType<typeof normaliseAmocrmWebhook> {
  try {
    return normaliseAmocrmWebhook(parseAmocrmWebhookForm(raw));
  } catch (error) {
    if (error instanceof WebhookParseError) throw new InboxBadRequest('malformed_body', error.message);
    throw error;
  }
}

function keyOf(change: AmocrmWebhookChange) {
  return amocrmKey({
    entity: change.entity,
    action: change.action,
    id: change.id,
    lastModified: change.lastModified,
    updatedAt: change.updatedAt,
    // only payloads without a version need the (costlier) content fingerprint
    fingerprint:
      change.lastModified || change.updatedAt ? undefined : fingerprintOf(JSON.stringify(change.fields)),
  });
}
