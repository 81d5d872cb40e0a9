import type { DataSource, QueryRunner } from 'typeorm';

/** SQL helpers shared by the inbox repositories (never used outside them). */

/** Events taken back into the queue, with the generation of their next job and when it is due. */
export interface RequeuedEvent {
  id: string;
  generation: number;
  dueInMs: number;
}

/** `?, ?, ?` for a list, or `(?, ?), (?, ?)` for rows of `columns` values. */
export function placeholders(rows: number, columns = 1): string {
  const row = columns === 1 ? '?' : `(${new Array<string>(columns).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
}

/** Runs `work` in a transaction of its own connection: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(
  dataSource: DataSource,
  isolation: 'READ COMMITTED' | 'REPEATABLE READ',
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction(isolation);
    try {
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/** The generation and due time of events just queued again (read in the transaction that queued them). */
export async function dueRows(runner: QueryRunner, ids: string[]): Promise<RequeuedEvent[]> {
  if (ids.length === 0) return [];
  const rows = (await runner.query(
    `SELECT id, generation,
            GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(3), COALESCE(next_attempt_at, NOW(3)))) DIV 1000 AS dueInMs
       FROM inbox_events WHERE id IN (${placeholders(ids.length)})`,
    ids,
  )) as { id: string; generation: number; dueInMs: string | number }[];
  return rows.map((row) => ({
    id: row.id,
    generation: Number(row.generation),
    dueInMs: Number(row.dueInMs),
  }));
}
