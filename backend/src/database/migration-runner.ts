import type { DataSource, Migration } from 'typeorm';
import { withNamedLock } from './named-lock';

const MIGRATION_LOCK = 'amocrm_integration_migrations';

/**
 * Runs pending migrations while holding a named database lock, so several api and worker processes
 * starting together apply each migration exactly once.
 */
export function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  return withNamedLock(dataSource, MIGRATION_LOCK, 120, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
}
