import type { DataSource } from 'typeorm';
import type { SheetCell } from '../parsing/header-row';

/** A row of the file as staged: its cells, and the earlier row of the file it duplicates. */
export interface StagedRow {
  rowNumber: number;
  cells: SheetCell[];
  duplicateOf: number | null;
}

/** Rows per staging INSERT (~0.5 MB of SQL for 20 short cells a row, far below max_allowed_packet). */
export const STAGE_ROWS_PER_STATEMENT = 1000;

/** The mysql2 pool under TypeORM's MySQL driver (callback API). */
interface Mysql2Pool {
  execute(sql: string, values: unknown[], callback: (error: Error | null) => void): void;
}

/**
 * Rows of the next statement when `left` rows remain: STAGE_ROWS_PER_STATEMENT, else the largest power of two — a
 * handful of statement shapes (1,000, 512, 256, … 1), so the server holds a handful of prepared statements per
 * connection whatever the files' row counts (its max_prepared_stmt_count is shared by every connection).
 */
export function statementRows(left: number): number {
  if (left >= STAGE_ROWS_PER_STATEMENT) return STAGE_ROWS_PER_STATEMENT;
  return 2 ** Math.floor(Math.log2(left));
}

/** The INSERT of `rows` staged rows, by row count (prepared once per pool connection, cached by mysql2). */
const statements = new Map<number, string>();

function statementOf(rows: number): string {
  let sql = statements.get(rows);
  if (sql === undefined) {
    sql = `INSERT IGNORE INTO import_rows (import_id, \`row_number\`, workspace_id, status, cells, duplicate_of)
       VALUES ${new Array<string>(rows).fill("(?, ?, ?, 'pending', ?, ?)").join(', ')}`;
    statements.set(rows, sql);
  }
  return sql;
}

/**
 * Stages rows of an import as `pending` (a row staged already is left as it is): multi-row `INSERT IGNORE`s of up to
 * STAGE_ROWS_PER_STATEMENT rows, prepared statements on TypeORM's mysql2 pool, the cells as JSON (as the entity's
 * jsonText column writes them) sent as binary parameters. TypeORM's insert builder cost ~20 µs of CPU a row here (a
 * named parameter per value, escaped twice); a text query still escapes every JSON (its quotes) into the SQL.
 */
export async function insertStagedRows(
  dataSource: DataSource,
  importId: string,
  workspaceId: string,
  rows: readonly StagedRow[],
): Promise<void> {
  const pool = (dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
  if (!pool) throw new Error('the MySQL driver has no connection pool');
  for (let from = 0; from < rows.length;) {
    const part = rows.slice(from, from + statementRows(rows.length - from));
    from += part.length;
    const values: unknown[] = [];
    for (const row of part)
      values.push(importId, row.rowNumber, workspaceId, JSON.stringify(row.cells), row.duplicateOf);
    await new Promise<void>((resolve, reject) =>
      pool.execute(statementOf(part.length), values, (error) => (error ? reject(error) : resolve())),
    );
  }
}
