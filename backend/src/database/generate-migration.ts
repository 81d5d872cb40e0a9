import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseSettings } from '../config/app-config';
import { repoRoot } from '../config/repo-root';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migration-runner';
import { detectServerFlavor } from './server-flavor';

/**
 * Writes a migration holding what the entities need beyond the existing migrations.
 * Run against a scratch database: the existing migrations are applied to it first. `onlyTables` keeps just the
 * statements about those tables (when other modules' entities are still in progress).
 */
export async function generateMigration(
  db: DatabaseSettings,
  name: string,
  onlyTables: string[] = [],
): Promise<string | undefined> {
  if (!/^[A-Z][A-Za-z0-9]{2,60}$/.test(name))
    throw new Error('The migration name must be PascalCase, e.g. AddLeadTags');
  const dataSource = new DataSource(dataSourceOptions(db, await detectServerFlavor(db)));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    const sql = await dataSource.driver.createSchemaBuilder().log();
    const mentionsOnly = (query: { query: string }): boolean =>
      onlyTables.length === 0 || onlyTables.some((table) => query.query.includes(`\`${table}\``));
    sql.upQueries = sql.upQueries.filter(mentionsOnly);
    sql.downQueries = sql.downQueries.filter(mentionsOnly);
    if (sql.upQueries.length === 0) return undefined;
    const timestamp = Date.now();
    const lines = (queries: { query: string }[]): string =>
      queries.map((q) => `    await queryRunner.query(${JSON.stringify(q.query)});`).join('\n');
    const file = join(repoRoot(), 'backend', 'src', 'database', 'migrations', `${timestamp}-${name}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(sql.upQueries)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines([...sql.downQueries].reverse())}
  }
}
`,
    );
    return file;
  } finally {
    await dataSource.destroy();
  }
}
