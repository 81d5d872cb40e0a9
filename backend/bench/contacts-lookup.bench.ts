import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import {
  adminAndKey,
  callJson,
  connectDb,
  raisePriority,
  round,
  startBenchService,
} from './contacts-bench-support';
import type { Row } from './run';

/**
 * `GET /api/v1/contacts?phone=` with 1,000,000 contacts in the local mirror (bulk-inserted with multi-row
 * INSERTs, each contact with two phones and their `contact_identities` rows, as the mirror's writes keep them),
 * against the production entry point in its own process, with autocannon. Half the requests ask a contact's main
 * phone, half its second one, in another format than stored (`8 916 …` for `+7916…`), so every request
 * normalises before the exact lookup.
 *
 * Runs at steady, paced loads below saturation (BENCH_LOOKUP_RATES requests/s, default 50,100,150, on one
 * connection: autocannon fires the connections of a rate-limited run together, which would measure our own
 * bursts): the latency a client sees, target p99 ≤ 10 ms; then saturation (BENCH_LOOKUP_CONNECTIONS, default 10,
 * as fast as it answers): the most requests/s, where latency is mostly queueing (connections ÷ throughput).
 * BENCH_LOOKUP_ROWS (default 1,000,000) and BENCH_LOOKUP_SECONDS (default 15 per run) change the size and duration;
 * BENCH_LOOKUP_KEEP_DB=1 keeps the seeded database (`bench_contacts_lookup_<rows>`) for the next run.
 */
export async function run(): Promise<Row[]> {
  const rows = Number(process.env.BENCH_LOOKUP_ROWS ?? 1_000_000);
  const rates = (process.env.BENCH_LOOKUP_RATES ?? '50,100,150').split(',').map(Number);
  const connections = Number(process.env.BENCH_LOOKUP_CONNECTIONS ?? 10);
  const seconds = Number(process.env.BENCH_LOOKUP_SECONDS ?? 15);
  const prioritised = raisePriority();
  const keep = process.env.BENCH_LOOKUP_KEEP_DB === '1';
  const service = await startBenchService({}, keep ? { keepDatabase: `bench_contacts_lookup_${rows}` } : {});
  try {
    const { workspaceId, key } = await adminAndKey(service.url, 'viewer');
    const insertStarted = Date.now();
    const seeded = keep ? await countContacts(service.database, workspaceId) : 0;
    if (seeded !== rows) {
      if (seeded !== 0) await clearContacts(service.database, workspaceId);
      await bulkInsertContacts(service.database, workspaceId, rows);
    }
    const insertSeconds = (Date.now() - insertStarted) / 1000;

    const sample = await callJson(
      `${service.url}/api/v1/contacts?phone=${encodeURIComponent('8 916 000-00-42')}`,
      {
        apiKey: key,
      },
    );
    const bySecond = await callJson(
      `${service.url}/api/v1/contacts?phone=${encodeURIComponent('8 926 000-00-42')}`,
      { apiKey: key },
    );
    for (const found of [sample, bySecond])
      if (found.status !== 200 || found.body.total !== 1 || found.body.items[0].phone !== '+79160000042') {
        throw new Error(
          `the lookup does not find the seeded contact: ${found.status} ${JSON.stringify(found.body)}`,
        );
      }
    const path = (): string => {
      const digits = String(Math.floor(Math.random() * rows)).padStart(7, '0');
      const code = Math.random() < 0.5 ? '916' : '926';
      const phone = `8 ${code} ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
      return `/api/v1/contacts?phone=${encodeURIComponent(phone)}`;
    };
    const load = (options: { connections: number; duration: number; overallRate?: number }) =>
      autocannon({
        url: service.url,
        pipelining: 1,
        headers: { 'x-api-key': key },
        requests: [
          { method: 'GET', setupRequest: (request: autocannon.Request) => ({ ...request, path: path() }) },
        ],
        ...options,
      });
    const loadBefore = loadavg()[0];
    await load({ connections, duration: 5 }); // warm-up: JIT, connection pools, InnoDB pages
    const steady: { rate: number; result: autocannon.Result }[] = [];
    for (const rate of rates)
      steady.push({ rate, result: await load({ connections: 4, duration: seconds, overallRate: rate }) });
    const saturated = await load({ connections, duration: seconds });
    const worstP99 = Math.max(...steady.map((run) => run.result.latency.p99));
    const table: Row[] = [
      { metric: 'contacts in the mirror', value: rows, target: '1,000,000' },
      {
        metric: 'bulk insert, s (rows/s)',
        value:
          seeded === rows
            ? 'kept from an earlier run (BENCH_LOOKUP_KEEP_DB=1)'
            : `${round(insertSeconds, 1)} (${Math.round(rows / insertSeconds)})`,
        target: '',
      },
      ...steady.map(({ rate, result }) => ({
        metric: `steady ${rate} req/s (paced, 1 connection): achieved req/s; latency p50 / p90 / p99 / max, ms`,
        value: `${round(result.requests.average, 0)}; ${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} / ${result.latency.max}`,
        target: 'p99 ≤ 10',
      })),
      {
        metric: `saturated, ${connections} connections: requests/s`,
        value: round(saturated.requests.average, 0),
        target: '',
      },
      {
        metric: 'saturated: latency p50 / p99, ms',
        value: `${saturated.latency.p50} / ${saturated.latency.p99}`,
        target: '',
      },
      {
        metric: 'non-2xx / errors (both runs)',
        value: `${[...steady.map((run) => run.result), saturated].reduce((sum, run) => sum + run.non2xx, 0)} / ${[...steady.map((run) => run.result), saturated].reduce((sum, run) => sum + run.errors, 0)}`,
        target: '0 / 0',
      },
      {
        metric: 'machine load (1-min avg) before / after, CPUs',
        value: `${round(loadBefore, 1)} / ${round(loadavg()[0], 1)}, ${cpus().length}`,
        target: `raised priority: ${prioritised ? 'yes' : 'no'}`,
      },
    ];
    if (worstP99 > 10) {
      table.push({
        metric: 'MISSED: steady p99 (worst rate)',
        value: `${round(worstP99 - 10, 1)} ms over`,
        target: 'see the report',
      });
    }
    return table;
  } finally {
    await service.stop();
  }
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
    // a database kept from before the identities (one phone each) is seeded again
    return Number(rows[0]?.identities ?? 0) === 2 * total ? total : -1;
  } finally {
    await connection.end();
  }
}

/**
 * 1M rows in multi-row INSERTs of 5,000 over two connections, in the workspace, each with two distinct Russian
 * mobile numbers +7916NNNNNNN (main) and +7926NNNNNNN (as the API stores them: E.164), the columns a mirrored
 * contact has, and its two `contact_identities` rows (one INSERT per 5,000 contacts).
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
          const phone = `+7916${String(index).padStart(7, '0')}`;
          const second = `+7926${String(index).padStart(7, '0')}`;
          const id = randomUUID();
          placeholders.push("(?, ?, ?, ?, ?, ?, '[]', '[]', 'amocrm', NOW(3))");
          values.push(
            id,
            workspaceId,
            30_000_000 + index,
            `Контакт ${index}`,
            phone,
            JSON.stringify([phone, second]),
          );
          identities.push(workspaceId, 'phone', phone, id, workspaceId, 'phone', second, id);
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
