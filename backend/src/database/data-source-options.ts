import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseSettings } from '../config/app-config';
import type { ServerFlavor } from './server-flavor';

/**
 * The one TypeORM configuration, shared by the application and the TypeORM CLI.
 * Works on MySQL 8 and MariaDB 10.11: UTC datetimes, utf8mb4, no server-specific column types.
 */
export function dataSourceOptions(db: DatabaseSettings, flavor: ServerFlavor): DataSourceOptions {
  return {
    type: flavor,
    ...mysqlAddress(db),
    username: db.user,
    password: db.password,
    database: db.database,
    connectorPackage: 'mysql2',
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    logging: ['error'],
    extra: { connectionLimit: 20, connectTimeout: 5000, decimalNumbers: true },
  };
}

/** Where to reach the server: its unix socket when DB_SOCKET is set, else host and port. */
export function mysqlAddress(db: DatabaseSettings): { host: string; port: number } | { socketPath: string } {
  return db.socketPath ? { socketPath: db.socketPath } : { host: db.host, port: db.port };
}

/** The server's address for messages. */
export function describeMysqlAddress(db: DatabaseSettings): string {
  return db.socketPath ? `socket ${db.socketPath}` : `${db.host}:${db.port}`;
}
