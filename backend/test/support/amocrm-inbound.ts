import type { AmoAccountHandle, AmoSandbox } from '../../sandbox/amocrm';
import type { DomainEvent } from '../../src/inbox/domain-events';
import { DomainEventsService } from '../../src/inbox/domain-events.service';
import { connectLongLived, startAmocrmTestApp } from './amocrm';
import { loginAdmin, type LoggedIn } from './auth';
import { call } from './http';
import { TestDb, waitFor } from './inbox';
import type { TestApp } from './test-app';

/** Every lead and contact event amoCRM can send (notes left out). */
export const MIRROR_EVENTS = [
  'add_lead',
  'update_lead',
  'status_lead',
  'delete_lead',
  'restore_lead',
  'responsible_lead',
  'add_contact',
  'update_contact',
  'delete_contact',
  'restore_contact',
  'responsible_contact',
];

/** An app connected to a sandbox account (long-lived token), its webhook subscribed, domain events recorded. */
export interface InboundWorld {
  t: TestApp;
  admin: LoggedIn;
  amo: AmoAccountHandle;
  db: TestDb;
  workspaceId: string;
  hookUrl: string;
  /** Every domain event published in the app, in order. */
  published: DomainEvent[];
  close(): Promise<void>;
}

export async function startInboundWorld(
  sandbox: AmoSandbox,
  subdomain: string,
  options: { events?: string[] } = {},
): Promise<InboundWorld> {
  const t = await startAmocrmTestApp(sandbox, {
    env: { WEBHOOK_RETRY_DELAYS: '100ms,200ms', INBOX_SWEEP_AFTER: '2s' },
  });
  const db = await TestDb.open(t.config.db);
  const admin = await loginAdmin(t.url);
  await connectLongLived(t, admin, sandbox.createAccount({ subdomain, rps: 1000 }));
  const published: DomainEvent[] = [];
  const unsubscribe = t.app.get(DomainEventsService).subscribeAll((event) => {
    published.push(event);
  });
  // `events`: what amoCRM is told to send (a test posting its own bodies may want the sandbox quiet)
  const hook = await subscribe(t, admin, options.events ?? MIRROR_EVENTS);
  return {
    t,
    admin,
    amo: sandbox.account(subdomain),
    db,
    workspaceId: admin.user.workspaceId,
    hookUrl: hook.url,
    published,
    async close() {
      unsubscribe();
      await db.close();
      await t.close();
    },
  };
}

export async function subscribe(t: TestApp, admin: LoggedIn, events: string[]): Promise<{ url: string }> {
  const res = await call(`${t.url}/api/v1/connections/amocrm/webhook`, {
    token: admin.token,
    body: { events },
  });
  if (res.status !== 200) throw new Error(`subscribing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until the sandbox sent everything and the inbox finished every event of the workspace. */
export async function settle(world: InboundWorld): Promise<void> {
  await world.amo.whenDeliveriesIdle();
  await waitFor(
    async () =>
      (await world.db.count(
        `SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ? AND status IN ('received', 'queued', 'processing')`,
        [world.workspaceId],
      )) === 0,
    20_000,
    'every inbox event finished',
  );
}

/** The events of the workspace (events API), newest first. */
export async function listEvents(world: InboundWorld, query: Record<string, string> = {}): Promise<any[]> {
  const res = await call(`${world.t.url}/api/v1/events?${new URLSearchParams({ limit: '100', ...query })}`, {
    token: world.admin.token,
  });
  if (res.status !== 200) throw new Error(`listing events failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

export async function eventDetail(world: InboundWorld, id: string): Promise<any> {
  return (await call(`${world.t.url}/api/v1/events/${id}`, { token: world.admin.token })).body;
}

/** The mirror row of an amoCRM lead as the leads API answers it (deleted ones too); null when not mirrored. */
export async function mirrorLead(world: InboundWorld, amocrmId: number): Promise<any> {
  return mirrorRow(world, 'leads', amocrmId);
}

export async function mirrorContact(world: InboundWorld, amocrmId: number): Promise<any> {
  return mirrorRow(world, 'contacts', amocrmId);
}

async function mirrorRow(world: InboundWorld, table: 'leads' | 'contacts', amocrmId: number): Promise<any> {
  const row = await world.db.one<{ id: string }>(
    `SELECT id FROM ${table} WHERE workspace_id = ? AND amocrm_id = ?`,
    [world.workspaceId, amocrmId],
  );
  if (!row) return null;
  const res = await call(`${world.t.url}/api/v1/${table}/${row.id}`, { token: world.admin.token });
  return res.body;
}

/** Domain events published about an entity, as `type` lists or whole. */
export function publishedAbout(world: InboundWorld, entityId: number, since = 0): DomainEvent[] {
  return world.published.slice(since).filter((event) => event.entityId === String(entityId));
}

/** A legacy form body as amoCRM writes it, with the account of `amo`. */
export function amoForm(amo: AmoAccountHandle, pairs: [string, string | number][]): string {
  return new URLSearchParams([
    ...pairs.map(([key, value]): [string, string] => [key, String(value)]),
    ['account[subdomain]', amo.subdomain],
    ['account[id]', String(amo.id)],
    ['account[_links][self]', amo.baseUrl],
  ]).toString();
}

/** POSTs a body to the webhook URL as amoCRM does. */
export async function postHook(
  url: string,
  body: string | Buffer,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, 'user-agent': 'amoCRM-WebHook-client/1.0' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Resolves at the start of the next second: amoCRM versions are whole seconds. */
export async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}
