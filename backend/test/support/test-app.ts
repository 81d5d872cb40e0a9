import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpApp } from '../../src/bootstrap/create-http-app';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { migrateDatabase } from '../../src/database/migrate';
import { freePort } from './free-port';
import { createTestDatabase, dropTestDatabase } from './test-database';

/** The super-admin every test app starts with (admin of the default workspace). */
export const TEST_ADMIN = { email: 'admin@example.test', password: 'Root-secret-pass-42' };

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse a database made by an earlier TestApp (several processes against one database). */
  database?: AppConfig['db'];
}

/** Environment for a test process: a fresh database name, its own Redis prefix, quiet logs. */
export async function testEnv(
  options: TestAppOptions = {},
): Promise<{ env: Record<string, string>; ownsDatabase: boolean; db: AppConfig['db'] }> {
  const db = options.database ?? (await createTestDatabase());
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_NAME: db.database,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SERVE_CONSOLE: 'false',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...options.env,
  };
  return { env, ownsDatabase: !options.database, db };
}

/** A migrated database and a listening HTTP app (role from env, default `all`), as a real process would run. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { env, ownsDatabase, db } = await testEnv(options);
  const config = loadConfig(env);
  await migrateDatabase(config.db);
  const app = await createHttpApp(config);
  try {
    await app.listen(config.port, '127.0.0.1');
  } catch (error) {
    await app.close();
    if (ownsDatabase) await dropTestDatabase(db);
    throw error;
  }
  return {
    app,
    config,
    url: `http://127.0.0.1:${config.port}`,
    async close() {
      await app.close();
      if (ownsDatabase) await dropTestDatabase(db);
    },
  };
}
