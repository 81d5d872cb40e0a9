import { createConnection } from 'mysql2/promise';
import type { DatabaseSettings } from '../config/app-config';
import { mysqlAddress } from './data-source-options';

/** MySQL or MariaDB: TypeORM reads the catalogue differently for each, so it must be told which it talks to. */
export type ServerFlavor = 'mysql' | 'mariadb';

export async function detectServerFlavor(db: DatabaseSettings): Promise<ServerFlavor> {
  const connection = await createConnection({
    ...mysqlAddress(db),
    user: db.user,
    password: db.password,
    connectTimeout: 5000,
  });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as { version: string }[])[0]?.version ?? '');
    return version.toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}
