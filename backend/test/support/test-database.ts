import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { DatabaseSettings } from '../../src/config/app-config';

/** The server tests use: TEST_DB_* or the local MariaDB (root, empty password). */
export function testServer(): Omit<DatabaseSettings, 'database'> {
  return {
    host: process.env.TEST_DB_HOST ?? '127.0.0.1',
    port: Number(process.env.TEST_DB_PORT ?? 3306),
    user: process.env.TEST_DB_USER ?? 'root',
    password: process.env.TEST_DB_PASSWORD ?? '',
  };
}

/** A fresh, empty database for one test file: `it_<random>`. */
export async function createTestDatabase(): Promise<DatabaseSettings> {
  const server = testServer();
  const database = `it_${randomBytes(6).toString('hex')}`;
  const connection = await createConnection(server);
  try {
    await connection.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
  return { ...server, database };
}

export async function dropTestDatabase(db: DatabaseSettings): Promise<void> {
  const connection = await createConnection(testServer());
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  } finally {
    await connection.end();
  }
}
