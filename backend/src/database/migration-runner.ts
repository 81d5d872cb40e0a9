import type { DataSource, Migration } from 'typeorm';

const MIGRATION_LOCK = 'amocrm_integration_migrations';
const LOCK_WAIT_SECONDS = 120;

/**
 * Runs pending migrations while holding a named database lock, so several api and worker processes
 * starting together apply each migration exactly once. GET_LOCK exists in both MySQL and MariaDB.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS locked', [MIGRATION_LOCK, LOCK_WAIT_SECONDS])) as {
      locked: number | string | null;
    }[];
    if (Number(row?.locked) !== 1) {
      throw new Error(`Could not take the migration lock within ${LOCK_WAIT_SECONDS} s: another process holds it`);
    }
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
