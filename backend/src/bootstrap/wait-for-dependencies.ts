import { createServer, type Server } from 'node:http';
import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { describeMysqlAddress, mysqlAddress } from '../database/data-source-options';
import { PROBLEM_CONTENT_TYPE, problemType } from '../http/problem';
import { redisOptionsFromUrl } from '../redis/redis-options';

type Log = (message: string) => void;

/**
 * Waits until MySQL and Redis answer, logging one clear line per failed attempt. Meanwhile the port answers
 * /health/live (200) and everything else 503 naming what is missing, so orchestrators see why it is not ready.
 */
export async function waitForDependencies(config: AppConfig, log: Log, retryDelayMs = 3000): Promise<void> {
  let missing = await probe(config);
  if (missing.length === 0) return;
  const server = await startWaitingServer(config.port, () => missing).catch(() => undefined);
  try {
    while (missing.length > 0) {
      log(`waiting for ${missing.join(' and ')}; retrying in ${Math.round(retryDelayMs / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      missing = await probe(config);
    }
    log('MySQL and Redis are reachable');
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }
}

async function probe(config: AppConfig): Promise<string[]> {
  const [database, redis] = await Promise.all([probeMysql(config), probeRedis(config)]);
  return [database, redis].filter((problem): problem is string => problem !== undefined);
}

async function probeMysql(config: AppConfig): Promise<string | undefined> {
  const { user, password, database } = config.db;
  try {
    const connection = await createConnection({
      ...mysqlAddress(config.db),
      user,
      password,
      connectTimeout: 3000,
    });
    try {
      await connection.query(
        `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    } catch {
      // A restricted user may not create databases; the database must then exist already.
    }
    await connection.end();
    return undefined;
  } catch (error) {
    return `MySQL at ${describeMysqlAddress(config.db)} (${reason(error)})`;
  }
}

async function probeRedis(config: AppConfig): Promise<string | undefined> {
  const options = redisOptionsFromUrl(config.redisUrl);
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  client.on('error', (error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${options.host}:${options.port} (${reason(lastError ?? error)})`;
  } finally {
    client.disconnect();
  }
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

function startWaitingServer(port: number, missing: () => string[]): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/health/live') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok","starting":true}');
      return;
    }
    const detail = `Starting: waiting for ${missing().join(' and ')}`;
    res
      .writeHead(503, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Retry-After': '5' })
      .end(
        JSON.stringify({ type: problemType('not-ready'), title: 'Service Unavailable', status: 503, detail }),
      );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
