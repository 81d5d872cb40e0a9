/**
 * A real inbox source adapter for the tests (and the benchmark), used until the amoCRM and LPTracker adapters
 * exist. Added by test code only (`inbox-test-module.ts`): in-process through `startInboxTestApp`, in spawned
 * api/worker processes through the entry `inbox-test-main.ts`.
 *
 * `test-json` takes `{"account":"acme","sleepMs":0,"changes":[{"entity":"lead","id":"1","updated_at":5,
 * "action":"update","echo":false}]}`; each change is keyed by entity, action, id and updated_at. Processing
 * records every applied change in `inbox_test_processed` (one row per change, `runs` counting how often it was
 * applied: double processing shows as runs > 1) and fails while the entity is listed in `inbox_test_faults`.
 */
import type { ModuleRef } from '@nestjs/core';
import { createConnection } from 'mysql2/promise';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainEventsService } from '../../src/inbox/domain-events.service';
import type { DatabaseSettings } from '../../src/config/app-config';
import type { JsonObject } from '../../src/database/columns';
import { entityVersionKey } from '../../src/inbox/idempotency-key';
import {
  InboxBadRequest,
  InboxPermanentError,
  type AcceptedDelivery,
  type InboxDelivery,
  type InboxEventView,
  type InboxKey,
  type InboxSourceAdapter,
  type InboxVerdict,
  type ProcessingContext,
  type ProcessingOutcome,
} from '../../src/inbox/source-adapter';

export const JSON_SOURCE = 'test-json';
/** The account the test workspace is "connected" to; deliveries naming another one are refused (403). */
export const CONNECTED_ACCOUNT = 'acme';

export interface JsonChange {
  entity: string;
  id: string;
  updated_at: number | string;
  action?: string;
  /** Our own write coming back: skipped as an echo. */
  echo?: boolean;
  name?: string;
}

interface JsonBody {
  account?: string;
  sleepMs?: number;
  /** Stays in processing while any of its entities is listed in `inbox_test_holds` (the test deletes the row). */
  hold?: boolean;
  changes: JsonChange[];
}

/** Tables of the test adapter (not part of the schema: tests create them). */
export async function createInboxTestTables(db: DatabaseSettings): Promise<void> {
  const connection = await createConnection({ ...db });
  try {
    await connection.query(
      `CREATE TABLE IF NOT EXISTS inbox_test_processed (
         workspace_id char(36) NOT NULL, change_key varchar(191) NOT NULL, event_id char(36) NOT NULL,
         settings_version int NOT NULL, runs int NOT NULL DEFAULT 1, PRIMARY KEY (workspace_id, change_key)
       ) ENGINE=InnoDB`,
    );
    await connection.query(
      `CREATE TABLE IF NOT EXISTS inbox_test_faults (
         entity_id varchar(64) NOT NULL PRIMARY KEY, permanent tinyint NOT NULL DEFAULT 0
       ) ENGINE=InnoDB`,
    );
    await connection.query(
      `CREATE TABLE IF NOT EXISTS inbox_test_holds (entity_id varchar(64) NOT NULL PRIMARY KEY) ENGINE=InnoDB`,
    );
    await connection.query(
      `CREATE TABLE IF NOT EXISTS inbox_test_published (
         workspace_id char(36) NOT NULL, event_key varchar(191) NOT NULL, inbox_event_id char(36) NOT NULL,
         runs int NOT NULL DEFAULT 1, PRIMARY KEY (workspace_id, event_key)
       ) ENGINE=InnoDB`,
    );
  } finally {
    await connection.end();
  }
}

/**
 * The test source, and a probe of every domain event published in the transaction that marks its inbox event
 * done (`inbox_test_published`, one row per type and entity; `runs` > 1 means a change was applied twice). The
 * probe records only when the table exists (`createInboxTestTables`), so it stays out of the way elsewhere.
 */
export function createInboxTestAdapters(moduleRef: ModuleRef): InboxSourceAdapter[] {
  moduleRef.get(DomainEventsService, { strict: false }).subscribeAll(async (event, { manager }) => {
    // the test source's own changes are counted in inbox_test_processed; the probe is for the real adapters
    if (!manager || event.source === JSON_SOURCE || !(await probeTableExists(manager))) return;
    await manager.query(
      `INSERT INTO inbox_test_published (workspace_id, event_key, inbox_event_id) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE runs = runs + 1`,
      [event.workspaceId, `${event.type}:${event.entityId}`, event.inboxEventId ?? ''],
    );
  });
  return [new JsonTestSource(moduleRef.get(DataSource, { strict: false }))];
}

let probeTable: boolean | undefined;
async function probeTableExists(manager: EntityManager): Promise<boolean> {
  if (probeTable) return true;
  const rows = await manager.query<unknown[]>(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'inbox_test_published'`,
  );
  probeTable = rows.length > 0;
  return probeTable;
}

export class JsonTestSource implements InboxSourceAdapter {
  readonly source = JSON_SOURCE;
  readonly keepHeaders = ['x-test-run'];

  constructor(private readonly dataSource: DataSource) {}

  accept(delivery: InboxDelivery): AcceptedDelivery {
    if (delivery.contentType !== 'application/json') {
      throw new InboxBadRequest(
        'unsupported_content_type',
        `${JSON_SOURCE} sends application/json, not "${delivery.contentType}"`,
      );
    }
    const body = parse(delivery.rawBody);
    let keys: InboxKey[];
    try {
      keys = body.changes.map((change) =>
        entityVersionKey(change.entity, change.id, change.updated_at, change.action ?? 'update'),
      );
    } catch (error) {
      throw new InboxBadRequest('malformed_body', (error as Error).message);
    }
    const first = body.changes[0];
    const types = new Set(body.changes.map((change) => `${change.entity}.${change.action ?? 'update'}`));
    const summary: JsonObject = {
      changes: body.changes.length,
      entities: body.changes.map((change) => change.id),
    };
    if (body.account !== undefined) summary.account = body.account;
    return { eventType: types.size === 1 && first ? [...types][0] : 'mixed', keys, summary };
  }

  verify(_delivery: InboxDelivery, accepted: AcceptedDelivery): InboxVerdict {
    const account = accepted.summary.account;
    if (account === undefined || account === CONNECTED_ACCOUNT) return { ok: true };
    return {
      ok: false,
      reason: 'account_mismatch',
      detail: `The delivery is from account ${JSON.stringify(account)}, not "${CONNECTED_ACCOUNT}".`,
    };
  }

  describe(event: InboxEventView): JsonObject {
    return { changes: parse(event.rawBody).changes as unknown as JsonObject[] };
  }

  async process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    const body = await context.step('parse', () => parse(event.rawBody));
    const owned = body.changes
      .map((change) => ({
        change,
        key: entityVersionKey(change.entity, change.id, change.updated_at, change.action ?? 'update').key,
      }))
      .filter(({ key }) => event.owns(key));
    const ids = owned.map(({ change }) => change.id);
    const faults = await context.step('check faults', () =>
      ids.length === 0
        ? Promise.resolve([] as { entity_id: string; permanent: number }[])
        : this.dataSource.query<{ entity_id: string; permanent: number }[]>(
            `SELECT entity_id, permanent FROM inbox_test_faults WHERE entity_id IN (${ids.map(() => '?').join(', ')})`,
            ids,
          ),
    );
    if (faults.length > 0) {
      const message = `entity ${faults[0].entity_id} is broken`;
      throw Number(faults[0].permanent) === 1 ? new InboxPermanentError(message) : new Error(message);
    }
    if (body.sleepMs)
      await context.step('work', () => new Promise((resolve) => setTimeout(resolve, body.sleepMs)));
    if (body.hold && ids.length > 0) await context.step('hold', () => this.heldWhileListed(ids));
    const applied = owned.filter(({ change, key }) => {
      if (!change.echo) return true;
      context.skip(key, 'echo', 'written by the integration itself');
      return false;
    });
    for (const { change } of applied) {
      context.publish({
        type: 'lead.updated',
        workspaceId: event.workspaceId,
        source: event.source,
        inboxEventId: event.id,
        entityId: change.id,
        occurredAt: new Date(),
        old: null,
        new: { name: change.name ?? null },
      });
    }
    return {
      changes: body.changes as unknown as JsonObject[],
      commit: async (manager) => {
        if (applied.length === 0) return;
        await manager.query(
          `INSERT INTO inbox_test_processed (workspace_id, change_key, event_id, settings_version) VALUES ${applied
            .map(() => '(?, ?, ?, ?)')
            .join(
              ', ',
            )} ON DUPLICATE KEY UPDATE runs = runs + 1, event_id = VALUES(event_id), settings_version = VALUES(settings_version)`,
          applied.flatMap(({ key }) => [event.workspaceId, key, event.id, event.settingsVersion]),
        );
      },
    };
  }

  /** Waits (polling) until none of `ids` is listed in `inbox_test_holds` any more. */
  private async heldWhileListed(ids: string[]): Promise<void> {
    for (;;) {
      const rows = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM inbox_test_holds WHERE entity_id IN (${ids.map(() => '?').join(', ')}) LIMIT 1`,
        ids,
      );
      if (rows.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function parse(raw: Buffer): JsonBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InboxBadRequest('malformed_body', 'The body is not valid JSON.');
  }
  const changes = (body as { changes?: unknown } | null)?.changes;
  if (!Array.isArray(changes) || changes.length === 0 || changes.length > 500) {
    throw new InboxBadRequest('malformed_body', 'The body needs a list of 1-500 changes.');
  }
  for (const change of changes as Partial<JsonChange>[]) {
    if (typeof change?.entity !== 'string' || change.id === undefined || change.updated_at === undefined) {
      throw new InboxBadRequest('malformed_body', 'Every change needs entity, id and updated_at.');
    }
    change.id = String(change.id);
  }
  return body as JsonBody;
}
