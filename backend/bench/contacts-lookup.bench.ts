import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newId } from '../src/database/columns';
import { cpuMsOf } from './bench-measurement';
import { lookupInDatabase } from './contacts-lookup-db';
import {
  adminAndKey,
  callJson,
  connectDb,
  delay,
  raiseDatabasePriority,
  raisePriority,
  round,
  startBenchService,
} from './contacts-bench-support';
import { mergeRuns, pacedLoad, type PacedResult } from './paced-load';
import { sizeBufferPool, warmTables } from './db-buffer-pool';
import type { Row } from './run';
import { statementsOf } from './statement-counter';

/** Each seeded contact's phones: +7916NNNNNNN (main), +7926NNNNNNN, +7936NNNNNNN (N: its index). */
const PHONE_CODES = ['916', '926', '936'] as const;
/** How a client types each of them (never as stored, so every request normalises before the lookup). */
const FORMATS = [
  (code: string, d: string) => `+7 ${code} ${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}`,
  (code: string, d: string) => `8 ${code} ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`,
  (code: string, d: string) => `8(${code})${d}`,
];

/** A seeded contact's phone as stored. */
function e164(index: number, phone: number): string {
  return `+7${PHONE_CODES[phone]}${String(index).padStart(7, '0')}`;
}

function lookupPath(index: number, phone: number): string {
  const digits = String(index).padStart(7, '0');
  return `/api/v1/contacts?phone=${encodeURIComponent(FORMATS[phone](PHONE_CODES[phone], digits))}`;
}

/**
 * "Lookup by phone with 1,000,000 contacts" (#16 §2): `GET /api/v1/contacts?phone=` with BENCH_LOOKUP_ROWS
 * (default 1,000,000) contacts in the mirror, each with three phones (multi-row INSERTs of the rows and their
 * `contact_identities`, as the mirror's writes keep them), against the production entry point in its own process.
 * Every request asks a random contact by one of its three phones (a third each: main, second, third), typed in
 * another format than stored.
 *
 * At each paced rate (BENCH_LOOKUP_RATES, default 100,400 requests/s; open loop, see paced-load.ts) the app's own
 * `GET /health/live` is measured at the same rate as the reference, alternating with the lookup in
 * BENCH_LOOKUP_SEGMENTS (default 4) segments each; the target is a lookup p99 within 1.1× of the health route's.
 * Besides latency, which a shared machine disturbs, each run reports the service's CPU µs per request (/proc) and
 * SQL statements per request (statement-counter.ts), both net of what the service spends without requests: what
 * the lookup costs beyond the health route. BENCH_LOOKUP_SECONDS (default 20 per rate and route) is the duration;
 * BENCH_LOOKUP_KEEP_DB=1 keeps the seeded database (`bench_contacts_lookup_<rows>`) for the next run;
 * BENCH_SERVICE_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) go to the service process;
 * BENCH_DB_SOCKET has the service reach MySQL through that unix socket (DB_SOCKET), as the other benchmarks allow.
 * The service and the load generator run at a raised priority ahead of unrelated work, and so does the database
 * server for the run (its threads' priorities put back after): the lookup waits for it, the health route does not.
 * The lookups take the lean entry (src/bootstrap/contact-lookup-entry.ts: an API key alone, `?phone=` alone), as
 * client apps' lookups do; the health route goes through Express and Nest as before.
 */
export async function run(): Promise<Row[]> {
  const rows = Number(process.env.BENCH_LOOKUP_ROWS ?? 1_000_000);
  const rates = (process.env.BENCH_LOOKUP_RATES ?? '100,400').split(',').map(Number);
  const seconds = Number(process.env.BENCH_LOOKUP_SECONDS ?? 20);
  const segments = Number(process.env.BENCH_LOOKUP_SEGMENTS ?? 4);
  const prioritised = raisePriority();
  const database = raiseDatabasePriority();
  const pool = await sizeBufferPool();
  const keep = process.env.BENCH_LOOKUP_KEEP_DB === '1';
  const dir = await mkdtemp(join(tmpdir(), 'bench-lookup-'));
  const statementsFile = join(dir, 'statements');
  const service = await startBenchService(
    {
      BENCH_STATEMENTS_FILE: statementsFile,
      ...(process.env.BENCH_DB_SOCKET ? { DB_SOCKET: process.env.BENCH_DB_SOCKET } : {}),
    },
    {
      preload: ['statement-counter'],
      nodeFlags: (process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...(keep ? { keepDatabase: `bench_contacts_lookup_${rows}` } : {}),
    },
  );
  try {
    const { workspaceId, key } = await adminAndKey(service.url, 'viewer');
    const insertStarted = Date.now();
    const seeded = keep ? await countContacts(service.database, workspaceId) : 0;
    if (seeded !== rows) {
      if (seeded !== 0) await clearContacts(service.database, workspaceId);
      await bulkInsertContacts(service.database, workspaceId, rows);
    }
    const insertSeconds = (Date.now() - insertStarted) / 1000;
    await warmTables(service.database, ['contacts', 'contact_identities']);

    // the same contact by each of its phones, and nobody by a number no contact has
    const sampleIndex = Math.min(rows - 1, 42);
    const found = await Promise.all(
      PHONE_CODES.map((_, phone) =>
        callJson(`${service.url}${lookupPath(sampleIndex, phone)}`, { apiKey: key }),
      ),
    );
    const main = `+7916${String(sampleIndex).padStart(7, '0')}`;
    for (const answer of found)
      if (answer.status !== 200 || answer.body.total !== 1 || answer.body.items[0].phone !== main)
        throw new Error(
          `the lookup does not find the seeded contact: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
    const missing = await callJson(`${service.url}${lookupPath(rows + 1, 0)}`, { apiKey: key });
    if (missing.status !== 200 || missing.body.total !== 0)
      throw new Error(`a number nobody has was found: ${JSON.stringify(missing.body)}`);

    const pid = service.child.pid ?? 0;
    // what the service spends with no request (timers, pools): taken off each run's figures
    const idle = await measured(
      pid,
      statementsFile,
      { cpuMsPerSecond: 0, statementsPerSecond: 0 },
      async () => {
        const started = performance.now();
        await delay(5000);
        return { ...mergeRuns([]), sent: 1, seconds: (performance.now() - started) / 1000 };
      },
    );
    const background = {
      cpuMsPerSecond: idle.cpuMs / idle.result.seconds,
      statementsPerSecond: idle.statementCount / idle.result.seconds,
    };
    const lookup = (rate: number, duration: number) =>
      measured(pid, statementsFile, background, () =>
        pacedLoad({
          url: service.url,
          rate,
          seconds: duration,
          headers: { 'x-api-key': key },
          path: () => lookupPath(Math.floor(Math.random() * rows), Math.floor(Math.random() * 3)),
          check: (status, body) => status === 200 && body.includes('"total":1'),
        }),
      );
    const health = (rate: number, duration: number) =>
      measured(pid, statementsFile, background, () =>
        pacedLoad({ url: service.url, rate, seconds: duration, path: () => '/health/live' }),
      );
    const loadBefore = loadavg()[0];
    // warm-up: JIT, connection pools, InnoDB pages
    await health(200, 3);
    await lookup(200, 5);
    const table: Row[] = [
      { metric: 'contacts in the mirror (3 phones each)', value: rows, target: '1,000,000' },
      {
        metric: 'bulk insert, s (contacts/s)',
        value:
          seeded === rows
            ? 'kept from an earlier run (BENCH_LOOKUP_KEEP_DB=1)'
            : `${round(insertSeconds, 1)} (${Math.round(rows / insertSeconds)})`,
        target: '',
      },
    ];
    let failed = 0;
    for (const rate of rates) {
      // alternating segments, so that a change in the machine's other load falls on both alike
      const healthRuns: Measured[] = [];
      const lookupRuns: Measured[] = [];
      for (let segment = 0; segment < segments; segment += 1) {
        healthRuns.push(await health(rate, seconds / segments));
        lookupRuns.push(await lookup(rate, seconds / segments));
      }
      const reference = combined(healthRuns);
      const measuredLookup = combined(lookupRuns);
      failed += reference.result.failed + measuredLookup.result.failed;
      for (const [name, run] of [
        ['GET /health/live', reference],
        ['lookup by phone', measuredLookup],
      ] as const)
        table.push({
          metric: `${rate} req/s paced, ${name}: achieved req/s; p50 / p90 / p99 / max, ms; CPU µs / request; SQL / request (net of idle)`,
          value: `${round(run.result.sent / run.result.seconds, 0)}; ${run.result.p50} / ${run.result.p90} / ${run.result.p99} / ${run.result.max}; ${run.cpuMicros}; ${run.statements}`,
          target: name === 'lookup by phone' ? 'p99 ≤ 1.1× health' : 'reference',
        });
      const ratio = measuredLookup.result.p99 / reference.result.p99;
      table.push({
        metric: `${rate} req/s: lookup p99 ÷ health p99${ratio > 1.1 ? ' — MISSED' : ''}`,
        value: `${round(ratio, 2)}× (CPU ${round(measuredLookup.cpuMicros - reference.cpuMicros, 0)} µs / request more)`,
        target: '≤ 1.1×',
      });
    }
    table.push(
      ...(await lookupInDatabase(service.database, workspaceId, () =>
        e164(Math.floor(Math.random() * rows), Math.floor(Math.random() * 3)),
      )),
      { metric: 'failed answers (wrong status or contact not found) / all runs', value: failed, target: '0' },
      {
        metric: 'service without requests: CPU ms / s; SQL / s (taken off the figures above)',
        value: `${round(background.cpuMsPerSecond, 1)}; ${round(background.statementsPerSecond, 2)}`,
        target: '',
      },
      {
        metric: 'machine load (1-min avg) before / after, CPUs',
        value: `${round(loadBefore, 1)} / ${round(loadavg()[0], 1)}, ${cpus().length}`,
        target: `raised priority: ${prioritised ? 'yes' : 'no'}; the database server's too: ${database.raised ? 'yes' : 'no'}`,
      },
      {
        metric: 'database InnoDB buffer pool (BENCH_DB_BUFFER_POOL; compose: MYSQL_BUFFER_POOL)',
        value: `${round(pool.bytes / 1024 ** 3, 2)} GiB`,
        target: '',
      },
    );
    return table;
  } finally {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
    await pool.restore();
    database.restore();
  }
}

interface Measured {
  result: PacedResult;
  /** The service's CPU and statements over the run, net of what it spends without requests. */
  cpuMs: number;
  statementCount: number;
  /** Per request. */
  cpuMicros: number;
  statements: number;
}

/**
 * A run with the service's CPU µs and SQL statements per request over it, net of what it spends without requests
 * (`background`, per second of the run).
 */
async function measured(
  pid: number,
  statementsFile: string,
  background: { cpuMsPerSecond: number; statementsPerSecond: number },
  load: () => Promise<PacedResult>,
): Promise<Measured> {
  await delay(500); // the statement counter writes every 200 ms
  const cpuBefore = cpuMsOf([pid]);
  const statementsBefore = statementsOf(statementsFile);
  const result = await load();
  const cpuMs = cpuMsOf([pid]) - cpuBefore - background.cpuMsPerSecond * result.seconds;
  await delay(500);
  const statementCount =
    statementsOf(statementsFile) - statementsBefore - background.statementsPerSecond * result.seconds;
  return perRequest(result, cpuMs, statementCount);
}

function perRequest(result: PacedResult, cpuMs: number, statementCount: number): Measured {
  const requests = Math.max(1, result.sent);
  return {
    result,
    cpuMs,
    statementCount,
    cpuMicros: round((cpuMs * 1000) / requests, 0),
    statements: round(statementCount / requests, 2),
  };
}

function combined(runs: readonly Measured[]): Measured {
  return perRequest(
    mergeRuns(runs.map((run) => run.result)),
    runs.reduce((total, run) => total + run.cpuMs, 0),
    runs.reduce((total, run) => total + run.statementCount, 0),
  );
}

async function clearContacts(database: string, workspaceId: string): Promise<void> {
  const connection = await connectDb(database);
  await connection.query('DELETE FROM contacts WHERE workspace_id = ?', [workspaceId]);
  await connection.query('DELETE FROM contact_identities WHERE workspace_id = ?', [workspaceId]);
  await connection.end();
}

async function countContacts(database: string, workspaceId: string): Promise<number> {
  const connection = await connectDb(database);
  try {
    const [rows] = (await connection.query(
      'SELECT (SELECT COUNT(*) FROM contacts WHERE workspace_id = ?) AS total, (SELECT COUNT(*) FROM contact_identities WHERE workspace_id = ?) AS identities',
      [workspaceId, workspaceId],
    )) as unknown as [{ total: number; identities: number }[]];
    const total = Number(rows[0]?.total ?? 0);
    // a database kept from an earlier shape (fewer phones each) is seeded again
    return Number(rows[0]?.identities ?? 0) === PHONE_CODES.length * total ? total : -1;
  } finally {
    await connection.end();
  }
}

/**
 * The rows in multi-row INSERTs of 5,000 over two connections, in the workspace, each contact with three distinct
 * Russian mobile numbers (PHONE_CODES, E.164 as the API stores them), the columns a mirrored contact has, and its
 * three `contact_identities` rows (one INSERT per 5,000 contacts).
 */
async function bulkInsertContacts(database: string, workspaceId: string, rows: number): Promise<void> {
  const perStatement = 5000;
  const connectionsCount = 2;
  let next = 0;
  const insertChunks = async (): Promise<void> => {
    const connection = await connectDb(database);
    try {
      await connection.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
      for (
        let start = (next += perStatement) - perStatement;
        start < rows;
        start = (next += perStatement) - perStatement
      ) {
        const values: unknown[] = [];
        const placeholders: string[] = [];
        const identities: unknown[] = [];
        for (let index = start; index < Math.min(rows, start + perStatement); index += 1) {
          const phones = PHONE_CODES.map((_, phone) => e164(index, phone));
          const id = newId(); // UUIDv7 as the app makes them: rows appended in key order
          placeholders.push("(?, ?, ?, ?, ?, ?, '[]', '[]', 'amocrm', NOW(3))");
          values.push(
            id,
            workspaceId,
            30_000_000 + index,
            `Контакт ${index}`,
            phones[0],
            JSON.stringify(phones),
          );
          for (const phone of phones) identities.push(workspaceId, 'phone', phone, id);
        }
        await connection.query(
          `INSERT INTO contacts (id, workspace_id, amocrm_id, name, phone, phones, emails, custom_fields, source, synced_at) VALUES ${placeholders.join(',')}`,
          values,
        );
        await connection.query(
          `INSERT INTO contact_identities (workspace_id, kind, value, contact_id) VALUES ${Array.from(
            { length: identities.length / 4 },
            () => '(?, ?, ?, ?)',
          ).join(',')}`,
          identities,
        );
      }
    } finally {
      await connection.end();
    }
  };
  await Promise.all(Array.from({ length: connectionsCount }, () => insertChunks()));
  const connection = await connectDb(database);
  await connection.query('ANALYZE TABLE contacts, contact_identities');
  await connection.end();
}

if (require.main === module) {
  run().then(
    (rows) => console.table(rows),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
