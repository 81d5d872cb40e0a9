import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { migrateDatabase } from '../src/database/migrate';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/migration-runner';
import { schemaDrift } from '../src/database/schema-drift';
import { detectServerFlavor } from '../src/database/server-flavor';
import { createTestDatabase, dropTestDatabase } from './support/test-database';

describe('database migrations', () => {
  it('build the whole schema on an empty database, and the entities agree with it', async () => {
    const db = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(db, await detectServerFlavor(db)));
    await dataSource.initialize();
    try {
      expect(await schemaDrift(dataSource)).not.toEqual([]); // an empty database differs: the check can fail
      const applied = await runMigrationsLocked(dataSource);
      expect(applied.length).toBeGreaterThan(0);
      expect(await schemaDrift(dataSource)).toEqual([]);
      expect(await runMigrationsLocked(dataSource)).toEqual([]); // running again applies nothing
    } finally {
      await dataSource.destroy();
      await dropTestDatabase(db);
    }
  });

  it('apply each migration once when several processes start together', async () => {
    const db = await createTestDatabase();
    const flavor = await detectServerFlavor(db);
    const sources = [0, 1, 2].map(() => new DataSource(dataSourceOptions(db, flavor)));
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      const results = await Promise.all(sources.map((source) => runMigrationsLocked(source)));
      const total = results.reduce((sum, applied) => sum + applied.length, 0);
      const [{ count }] = await sources[0].query('SELECT COUNT(*) AS count FROM schema_migrations');
      expect(total).toBe(Number(count));
      expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
      await dropTestDatabase(db);
    }
  });

  // the server's own socket (MariaDB's default on Debian); CI machines run the same server
  const socket = process.env.TEST_DB_SOCKET ?? '/run/mysqld/mysqld.sock';
  (existsSync(socket) ? it : it.skip)(
    'migrate and serve queries through the unix socket (DB_SOCKET)',
    async () => {
      const db = await createTestDatabase();
      // a host and port that answer nothing: only the socket can be what is used
      const viaSocket = { ...db, host: '192.0.2.1', port: 9, socketPath: socket };
      try {
        expect(await migrateDatabase(viaSocket)).not.toEqual([]);
        const dataSource = new DataSource(dataSourceOptions(viaSocket, await detectServerFlavor(viaSocket)));
        await dataSource.initialize();
        try {
          const [{ count }] = await dataSource.query('SELECT COUNT(*) AS count FROM schema_migrations');
          expect(Number(count)).toBeGreaterThan(0);
        } finally {
          await dataSource.destroy();
        }
      } finally {
        await dropTestDatabase(db);
      }
    },
  );
});
