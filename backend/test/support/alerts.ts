import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ALERTS_QUEUE } from '../../src/alerts/alerts.constants';
import { call } from './http';
import type { Fixture, FixtureContext } from './id-route-fixtures';
import { insertFailedEvent } from './inbox-route-fixtures';
import type { TestApp } from './test-app';

/**
 * The alerts' `:id` route for the access-control walk: a failed event of the owner's workspace, then a check,
 * which raises the dead-letter alert (or finds it raised); its id.
 */
export const ALERTS_ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/alerts/:id/read': async ({ url, owner }) => {
    await insertFailedEvent(owner.user.workspaceId);
    const checked = await call(`${url}/api/v1/alerts/check`, { method: 'POST', token: owner.token });
    if (checked.status !== 200) throw new Error(`alerts check failed: ${checked.status}`);
    const list = await call(`${url}/api/v1/alerts?limit=100`, { token: owner.token });
    const alert = list.body.items.find(
      (item: { condition: string; state: string }) =>
        item.condition === 'dead_letter' && item.state === 'active',
    );
    if (!alert) throw new Error('no dead-letter alert raised by the fixture');
    return { params: { id: alert.id } };
  },
};

/** Every condition switch off: a test turns on only the one it watches (other conditions hold in its workspace). */
export const ALL_OFF = {
  amocrmConnection: false,
  lptrackerConnection: false,
  amocrmWebhook: false,
  deadLetter: false,
  inboxLag: false,
  mappingBroken: false,
  importFailed: false,
  noWebhook: false,
};

/** The alerts of a workspace, as the console lists them. */
export async function alertsOf(url: string, token: string): Promise<any[]> {
  const res = await call(`${url}/api/v1/alerts?limit=100`, { token });
  if (res.status !== 200) throw new Error(`alerts list failed: ${res.status}`);
  return res.body.items;
}

/** Runs the checks of the caller's workspace now. */
export async function checkAlerts(url: string, token: string): Promise<void> {
  const res = await call(`${url}/api/v1/alerts/check`, { method: 'POST', token });
  if (res.status !== 200) throw new Error(`alerts check failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The alerts queue of a running app (the Telegram retries wait there). */
export function alertsQueue(t: TestApp): Queue {
  return t.app.get<Queue>(getQueueToken(ALERTS_QUEUE), { strict: false });
}

/** Runs the waiting Telegram retries now instead of after their backoff. */
export async function promoteTelegramRetries(t: TestApp): Promise<void> {
  for (const job of await alertsQueue(t).getDelayed()) await job.promote().catch(() => undefined);
}

/** Stores an amoCRM delivery received `minutesAgo` (the "last webhook" the no-webhook condition reads). */
export async function insertReceivedEvent(
  t: TestApp,
  workspaceId: string,
  minutesAgo: number,
): Promise<void> {
  await t.app.get(DataSource).query(
    `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body, summary,
       change_keys, idempotency, settings_version, mode, attempts, retries, history, processed_at, created_at)
     VALUES (?, ?, 'amocrm', 'leads.status', 'done', 'application/x-www-form-urlencoded', '{}', ?, '{}', '[]',
       '{"owned":[],"duplicates":[]}', 0, 'live', 1, 0, '[]', NOW(3), NOW(3) - INTERVAL ? MINUTE)`,
    [randomUUID(), workspaceId, Buffer.from('leads[status][0][id]=1'), minutesAgo],
  );
}
