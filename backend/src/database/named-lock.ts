import type { DataSource } from 'typeorm';

/**
 * Runs `work` while holding a MySQL/MariaDB named lock (GET_LOCK), so only one process at a time does it.
 * The lock lives on one pooled connection for the duration.
 */
export async function withNamedLock<T>(
  dataSource: DataSource,
  name: string,
  waitSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS locked', [name, waitSeconds])) as {
      locked: unknown;
    }[];
    if (Number(row?.locked) !== 1) {
      throw new Error(`Could not take the lock "${name}" within ${waitSeconds} s: another process holds it`);
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}
