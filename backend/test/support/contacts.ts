import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { AmoAccountCredentials, AmoAccountHandle, AmoSandbox, ContactJson } from '../../sandbox/amocrm';
import { normalizePhone } from '../../src/contacts/phone';
import { connectLongLived } from './amocrm';
import type { LoggedIn } from './auth';
import { call, type JsonResponse } from './http';
import type { TestApp } from './test-app';
import { testServer } from './test-database';

/** A workspace connected to its own sandbox account, with API keys of each role. */
export interface ConnectedWorkspace {
  account: AmoAccountCredentials;
  amo: AmoAccountHandle;
  managerKey: string;
  viewerKey: string;
}

export async function createApiKey(
  t: TestApp,
  admin: LoggedIn,
  role: 'admin' | 'manager' | 'viewer',
): Promise<string> {
  const res = await call(`${t.url}/api/v1/api-keys`, {
    token: admin.token,
    body: { name: `${role} key ${randomUUID().slice(0, 8)}`, role },
  });
  if (res.status !== 201)
    throw new Error(`creating an API key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key;
}

/** Connects the admin's workspace to a new sandbox account (long-lived token) and makes API keys. */
export async function connectWorkspace(
  t: TestApp,
  admin: LoggedIn,
  sandbox: AmoSandbox,
  subdomain?: string,
): Promise<ConnectedWorkspace> {
  const account = sandbox.createAccount(subdomain ? { subdomain } : {});
  await connectLongLived(t, admin, account);
  return {
    account,
    amo: sandbox.account(account.subdomain),
    managerKey: await createApiKey(t, admin, 'manager'),
    viewerKey: await createApiKey(t, admin, 'viewer'),
  };
}

/** `call` with an API key, relative to the app. */
export function api(
  t: TestApp,
  key: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<JsonResponse> {
  return call(`${t.url}${path}`, { ...init, apiKey: key });
}

/** Sandbox contacts whose PHONE values include this number (any format), deleted ones left out. */
export function sandboxContactsWithPhone(amo: AmoAccountHandle, e164: string): ContactJson[] {
  return amo
    .contacts()
    .filter((contact) =>
      (contact.custom_fields_values ?? []).some(
        (field) =>
          field.field_code === 'PHONE' &&
          field.values.some((item) => normalizePhone(String(item.value), 'RU') === e164),
      ),
    );
}

/** The PHONE (or EMAIL) values of a sandbox contact as stored there. */
export function sandboxValues(contact: ContactJson | undefined, code: 'PHONE' | 'EMAIL'): string[] {
  return (contact?.custom_fields_values ?? [])
    .filter((field) => field.field_code === code)
    .flatMap((field) => field.values.map((item) => String(item.value)));
}

/** Field id of a sandbox account's custom field by name or code. */
export function fieldId(amo: AmoAccountHandle, entity: 'contacts' | 'leads', nameOrCode: string): number {
  const fields = entity === 'contacts' ? amo.contactFields() : amo.leadFields();
  const field = fields.find((candidate) => candidate.code === nameOrCode || candidate.name === nameOrCode);
  if (!field) throw new Error(`no ${entity} field ${nameOrCode}`);
  return field.id;
}

// ---- rows written straight into a test app's database (access-control fixtures) ----

/**
 * The database of the test app that owns `workspaceId`: the fixtures only get the app's URL, so the database is
 * found by the workspace (ids are random, so exactly one test database has it).
 */
async function databaseOfWorkspace(workspaceId: string): Promise<string> {
  const connection = await createConnection(testServer());
  try {
    const [schemas] = (await connection.query(
      "SELECT table_schema AS name FROM information_schema.tables WHERE table_name = 'workspaces' AND table_schema LIKE 'it\\_%'",
    )) as unknown as [{ name: string }[]];
    for (const { name } of schemas) {
      if (!/^it_[0-9a-f]+$/.test(name)) continue;
      const [rows] = (await connection.query(`SELECT id FROM \`${name}\`.workspaces WHERE id = ?`, [
        workspaceId,
      ])) as unknown as [unknown[]];
      if (rows.length > 0) return name;
    }
  } finally {
    await connection.end();
  }
  throw new Error(`no test database holds workspace ${workspaceId}`);
}

let nextAmocrmId = 900_000_000;

/** A mirror contact (and, with `withLead`, a lead of it) of the workspace, inserted directly. */
export async function insertMirrorRows(
  workspaceId: string,
  options: { withLead?: boolean } = {},
): Promise<{ contactId: string; leadId?: string }> {
  const database = await databaseOfWorkspace(workspaceId);
  const connection = await createConnection({ ...testServer(), database });
  try {
    const contactId = randomUUID();
    await connection.query(
      "INSERT INTO contacts (id, workspace_id, amocrm_id, name, phone, phones, emails, custom_fields, source, synced_at) VALUES (?, ?, ?, 'Fixture contact', '+79990001122', '[\"+79990001122\"]', '[]', '[]', 'amocrm', NOW(3))",
      [contactId, workspaceId, (nextAmocrmId += 1)],
    );
    if (!options.withLead) return { contactId };
    const leadId = randomUUID();
    await connection.query(
      "INSERT INTO leads (id, workspace_id, amocrm_id, name, status_id, pipeline_id, price, contact_id, tags, custom_fields, source, synced_at) VALUES (?, ?, ?, 'Fixture lead', 1, 1, 0, ?, '[]', '[]', 'amocrm', NOW(3))",
      [leadId, workspaceId, (nextAmocrmId += 1), contactId],
    );
    return { contactId, leadId };
  } finally {
    await connection.end();
  }
}
