import { DataSource } from 'typeorm';
import type { DatabaseSettings } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migration-runner';
import { detectServerFlavor } from './server-flavor';

/** Applies pending migrations with a short-lived connection; returns the names applied. */
export async function migrateDatabase(db: DatabaseSettings): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(db, await detectServerFlavor(db)));
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
