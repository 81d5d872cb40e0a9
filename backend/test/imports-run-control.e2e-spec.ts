import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import type { AmoAccountHandle } from '../sandbox/amocrm';
import {
  connectWorkspace,
  sandboxContactsWithPhone,
  sandboxValues,
  type ConnectedWorkspace,
} from './support/contacts';
import { call } from './support/http';
import {
  contactLines,
  finished,
  phoneOf,
  progressOf,
  runAction,
  sandboxPhoneCounts,
  uploadMapped,
  waitForProgress,
} from './support/import-runs';
import type { TestApp } from './support/test-app';
import { createTestDatabase, dropTestDatabase } from './support/test-database';
import { ROWS_IN_FLIGHT_TRUSTED } from '../src/imports/run/import-run.constants';

/**
 * Rows of the pause and cancel imports: while the contacts mirror is trusted (a small account is listed first) the
 * runner writes ROWS_IN_FLIGHT_TRUSTED rows a step, so a pause or cancel needs several steps to land between.
 */
const ROWS = 5 * ROWS_IN_FLIGHT_TRUSTED;
const TAKEOVER_ROWS = 2_000;

const CONTACTS = { Имя: 'contact.name', Телефон: 'contact.phone', 'E-mail': 'contact.email' };
const HEADER = 'Имя;Телефон;E-mail';

/** Every PHONE value stored in the sandbox account (as imported: E.164). */
function sandboxPhones(amo: AmoAccountHandle): Set<string> {
  return new Set(amo.contacts().flatMap((contact) => sandboxValues(contact, 'PHONE')));
}

/** Pause, resume, cancel, a worker stopped mid-import and taken over by another, and bad requests (issue #14 §2). */
describe('imports: pause, resume, cancel, resume after a stopped worker', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const redisPrefix = `t${randomBytes(5).toString('hex')}`;
  const file = (count: number, from: number) => [HEADER, ...contactLines(count, from)].join('\n');
  const mapping = { kind: 'contacts', columns: CONTACTS, dedupe: 'skip' };

  /** Until no worker holds the import's run lease (its job has ended). */
  const waitForRunEnd = async (id: string) => {
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      while ((await redis.pttl(`${redisPrefix}:app:import-run:${id}`)) >= 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      redis.disconnect();
    }
  };

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    // the database outlives the first app: the crash test starts a second one on it
    database = await createTestDatabase();
    t = await startAmocrmTestApp(sandbox, { database, env: { REDIS_PREFIX: redisPrefix } });
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, sandbox);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    if (database) await dropTestDatabase(database);
  });

  it('needs a mapping, starts once (409 after), and answers 400 for what it cannot import yet', async () => {
    const id = await uploadMapped(t.url, admin.token, file(2, 900_000), mapping);
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    const again = await runAction(t.url, admin.token, id, 'start');
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/problem\+json/);
    await waitForProgress(t.url, admin.token, id, finished);
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(409);
    expect((await runAction(t.url, admin.token, id, 'pause')).status).toBe(409);

    const lpt = await uploadMapped(t.url, admin.token, file(1, 900_100), {
      kind: 'leads',
      columns: { ...CONTACTS, Имя: 'lead.responsible' },
      dedupe: 'skip',
    });
    const refused = await runAction(t.url, admin.token, lpt, 'start');
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        field: 'columns.Имя',
        code: 'notYet',
        message: 'columns.Имя: lead.responsible cannot be imported yet',
      },
    ]);
    expect((await progressOf(t.url, admin.token, lpt)).status).toBe('uploaded');

    for (const bad of ['not-an-id', '__proto__', 'constructor', '1'.repeat(300)]) {
      const res = await call(`${t.url}/api/v1/imports/${bad}/start`, { method: 'POST', token: admin.token });
      expect([bad.slice(0, 20), res.status, res.headers.get('content-type')]).toEqual([
        bad.slice(0, 20),
        400,
        expect.stringMatching(/problem\+json/),
      ]);
    }
  }, 60_000);

  it('pauses after the current batch, resumes from the first row not done, and finishes every row once', async () => {
    const id = await uploadMapped(t.url, admin.token, file(ROWS, 100_000), mapping);
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    await waitForProgress(t.url, admin.token, id, (p) => p.processed > 0);
    const paused = await runAction(t.url, admin.token, id, 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    // a paused import stays paused: a second pause is refused; the worker lets go of it after its batch
    expect((await runAction(t.url, admin.token, id, 'pause')).status).toBe(409);
    await waitForRunEnd(id);
    const stopped = await progressOf(t.url, admin.token, id);
    expect(stopped.status).toBe('paused');
    expect(stopped.processed).toBeLessThan(ROWS);

    const resumed = await runAction(t.url, admin.token, id, 'resume');
    expect(resumed.status).toBe(200);
    const done = await waitForProgress(t.url, admin.token, id, finished);
    expect(done).toMatchObject({ status: 'done', totalRows: ROWS, processed: ROWS, created: ROWS });
    for (const n of [100_000, 100_200, 100_000 + ROWS - 1])
      expect(sandboxContactsWithPhone(ws.amo, phoneOf(n))).toHaveLength(1);
  }, 120_000);

  it('cancels: rows left are never written, and a cancelled import cannot be resumed', async () => {
    const id = await uploadMapped(t.url, admin.token, file(ROWS, 200_000), mapping);
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    await waitForProgress(t.url, admin.token, id, (p) => p.processed > 0);
    const cancelled = await runAction(t.url, admin.token, id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await runAction(t.url, admin.token, id, 'resume')).status).toBe(409);
    // the batch in flight when it was cancelled still completes; nothing after it
    const before = await progressOf(t.url, admin.token, id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await progressOf(t.url, admin.token, id);
    expect(after.status).toBe('cancelled');
    expect(after.processed).toBeLessThanOrEqual(before.processed + ROWS_IN_FLIGHT_TRUSTED);
    expect(after.processed).toBeLessThan(ROWS);
    const inAmo = sandboxPhones(ws.amo);
    const written = Array.from({ length: ROWS }, (_, i) => phoneOf(200_000 + i)).filter((phone) =>
      inAmo.has(phone),
    );
    expect(written.length).toBe(after.created);
  }, 120_000);

  it('a worker stopped mid-import: another process takes it over from the last committed row, no duplicates', async () => {
    // enough rows that the stop lands mid-import: a graceful stop lets the up to 8 batches of 50 in flight finish,
    // and at 7 requests/s of 50 contacts the import moves ~350 rows a second
    const id = await uploadMapped(t.url, admin.token, file(TAKEOVER_ROWS, 300_000), mapping);
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    await waitForProgress(t.url, admin.token, id, (p) => p.processed >= 50);
    await t.close();
    t = await startAmocrmTestApp(sandbox, { database, env: { REDIS_PREFIX: redisPrefix } });
    admin = await loginAdmin(t.url);
    const middle = await progressOf(t.url, admin.token, id);
    expect(middle.processed).toBeLessThan(TAKEOVER_ROWS);
    const done = await waitForProgress(t.url, admin.token, id, finished);
    expect(done).toMatchObject({
      status: 'done',
      totalRows: TAKEOVER_ROWS,
      processed: TAKEOVER_ROWS,
      created: TAKEOVER_ROWS,
      failed: 0,
    });
    const perPhone = sandboxPhoneCounts(ws.amo);
    const counts = Array.from({ length: TAKEOVER_ROWS }, (_, i) => perPhone.get(phoneOf(300_000 + i)) ?? 0);
    expect(counts.filter((count) => count !== 1)).toEqual([]);
  }, 240_000);
});
