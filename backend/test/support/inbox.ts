import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createConnection, type Connection } from 'mysql2/promise';
import type { AppConfig } from '../../src/config/app-config';
import { INBOX_QUEUE } from '../../src/inbox/inbox-queue';
import { WebhookSecretsService } from '../../src/inbox/webhook-secrets.service';
import { join } from 'node:path';
import {
  JSON_SOURCE,
  createInboxTestAdapters,
  createInboxTestTables,
  type JsonChange,
} from './inbox-json-source';
import { addInboxTestAdapters } from './inbox-test-module';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';

/** Settings for inbox tests: tiny retry delays and a short sweeper threshold. */
export const INBOX_TEST_ENV: Record<string, string> = {
  WEBHOOK_RETRY_DELAYS: '100ms,200ms',
  INBOX_SWEEP_AFTER: '1s',
};

/** The entry point for spawned processes that need the test source: `spawnService(env, ms, INBOX_TEST_MAIN)`. */
export const INBOX_TEST_MAIN = join(__dirname, 'inbox-test-main.ts');

/** `startTestApp` with the `test-json` source and the domain-event probe added (test code, no production hook). */
export function startInboxTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  addInboxTestAdapters(createInboxTestAdapters);
  return startTestApp(options);
}

/** The webhook URL of the test source for a workspace of a running app. */
export function hookUrl(t: TestApp, workspaceId: string, source = JSON_SOURCE): Promise<string> {
  return t.app.get(WebhookSecretsService).webhookUrl(workspaceId, source);
}

export function inboxQueue(t: TestApp): Queue {
  return t.app.get<Queue>(getQueueToken(INBOX_QUEUE), { strict: false });
}

let counter = 0;

/** A change that was never delivered before. */
export function freshChange(extra: Partial<JsonChange> = {}): JsonChange {
  counter++;
  return { entity: 'lead', id: `${Date.now()}${counter}`, updated_at: counter, action: 'update', ...extra };
}

export async function deliver(
  url: string,
  body: unknown,
  init: { contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json', ...init.headers },
    body:
      typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Direct SQL on the test database, for assertions on what is stored. */
export class TestDb {
  private constructor(private readonly connection: Connection) {}

  static async open(db: AppConfig['db']): Promise<TestDb> {
    await createInboxTestTables(db);
    return new TestDb(await createConnection({ ...db }));
  }

  async rows<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.connection.query(sql, params);
    return rows as T[];
  }

  async one<T = any>(sql: string, params: unknown[] = []): Promise<T> {
    const [row] = await this.rows<T>(sql, params);
    return row;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const row = await this.one<Record<string, unknown>>(sql, params);
    return Number(Object.values(row)[0]);
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}

/** Polls until `probe` returns something other than undefined/false. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error as Error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
}
