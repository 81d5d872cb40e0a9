/**
 * Benchmark only: a probe added by the benchmark's entry point (`bench-main.ts`) to its processes. It
 * registers no adapter — the real amoCRM adapter (`src/amocrm-inbound`) processes the webhooks — and counts every
 * `lead.stage_changed` the processing publishes, in the transaction that marks its event done (one INSERT for the
 * events committed together, as a subscriber of a whole commit — `subscribeBatch` — can write), in
 * `inbox_bench_processed` (one row per lead; `runs` > 1 would mean a change applied twice). The benchmark's loss
 * check compares it with the acknowledged and finished events and with the mirror rows.
 */
import type { ModuleRef } from '@nestjs/core';
import { DomainEventsService } from '../src/inbox/domain-events.service';
import type { InboxSourceAdapter } from '../src/inbox/source-adapter';

export const BENCH_TABLE_SQL = `CREATE TABLE IF NOT EXISTS inbox_bench_processed (
  workspace_id char(36) NOT NULL, change_key varchar(191) NOT NULL, event_id char(36) NOT NULL,
  runs int NOT NULL DEFAULT 1, PRIMARY KEY (workspace_id, change_key)) ENGINE=InnoDB`;

export function createInboxTestAdapters(moduleRef: ModuleRef): InboxSourceAdapter[] {
  moduleRef
    .get(DomainEventsService, { strict: false })
    .subscribeBatch('lead.stage_changed', async (events, { manager }) => {
      if (!manager) return;
      // one row per move of the commit's events (a lead moved twice in one statement counts 2)
      await manager.query(
        `INSERT INTO inbox_bench_processed (workspace_id, change_key, event_id)
         VALUES ${events.map(() => '(?, ?, ?)').join(', ')} ON DUPLICATE KEY UPDATE runs = runs + 1`,
        events.flatMap((event) => [
          event.workspaceId,
          `${event.type}:${event.entityId}`,
          event.inboxEventId ?? '',
        ]),
      );
    });
  return [];
}
