import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NewDelivery, StoredDelivery } from './inbox-events.repository';

/** The mysql2 pool under TypeORM's MySQL driver (callback API). */
interface Mysql2Pool {
  execute(sql: string, values: unknown[], callback: (error: Error | null) => void): void;
}

/**
 * The webhook hot path's INSERT, as a prepared statement: the bodies travel as binary parameters, where a text
 * query sends each body hex-encoded inside the SQL (twice its size), escaped and measured by the client and then
 * parsed by the server. One statement per batch size (at most the intake's 200 rows), prepared once per pool
 * connection and cached by mysql2; every row has the same form (a `skipped` delivery differs only in values), so
 * the statement depends on the row count alone.
 */
@Injectable()
export class InboxDeliveriesRepository {
  private readonly statements = new Map<number, string>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a batch of deliveries with one multi-row INSERT (one round trip, one commit), each with the
   * workspace's settings version read inside the same statement. Deliveries are stored as `queued` (their runs
   * are added right after); one without any change is stored `skipped` (filtered).
   */
  async insertDeliveries(deliveries: readonly NewDelivery[]): Promise<StoredDelivery[]> {
    const stored: StoredDelivery[] = [];
    const values: unknown[] = [];
    for (const delivery of deliveries) {
      const skipped = delivery.keys.length === 0;
      stored.push({ id: delivery.id, status: skipped ? 'skipped' : 'queued' });
      values.push(
        delivery.id,
        delivery.workspaceId,
        delivery.source,
        delivery.eventType,
        skipped ? 'skipped' : 'queued',
        delivery.contentType,
        JSON.stringify(delivery.headers),
        delivery.rawBody,
        JSON.stringify(delivery.summary),
        JSON.stringify(delivery.keys),
        skipped ? '{"owned":[],"duplicates":[]}' : null,
        delivery.workspaceId,
        skipped ? 'filtered' : null,
        skipped ? 1 : 0,
      );
    }
    if (deliveries.length === 0) return stored;
    await this.execute(this.statement(deliveries.length), values);
    return stored;
  }

  private statement(rows: number): string {
    let sql = this.statements.get(rows);
    if (sql === undefined) {
      const row = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT v.version FROM workspace_settings_versions v WHERE v.workspace_id = ?), 0), 'first', '[]', ?, IF(? = 1, NOW(3), NULL))`;
      sql = `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body,
         summary, change_keys, idempotency, settings_version, mode, history, skip_reason, processed_at)
       VALUES ${new Array<string>(rows).fill(row).join(', ')}`;
      this.statements.set(rows, sql);
    }
    return sql;
  }

  private execute(sql: string, values: unknown[]): Promise<void> {
    if (values.length > 65_535) throw new Error('too many values for one prepared statement');
    const pool = (this.dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
    if (!pool) throw new Error('the MySQL driver has no connection pool');
    return new Promise<void>((resolve, reject) =>
      pool.execute(sql, values, (error) => (error ? reject(error) : resolve())),
    );
  }
}
