import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestLogEntry } from '../sandbox/amocrm';
import {
  BENCH_ADMIN,
  callJson,
  connectDb,
  delay,
  raisePriority,
  round,
  startBenchService,
  startSandboxProcess,
} from './contacts-bench-support';
import {
  cpuSeconds,
  mapAndStart,
  progressOf,
  sampleRss,
  seedContacts,
  upload,
  waitFor,
  writeCsv,
  writeXlsx,
} from './imports-bench-support';
import type { Row } from './run';

/**
 * Spreadsheet imports and exports (issue #14): the service (one APP_ROLE=all process: api and worker) on a fresh
 * database, the amoCRM sandbox in its own process limited to 7 requests/s (AMOCRM_RPS=7). The peak RSS of each part
 * is the service process's highest resident memory while the part runs (sampled every 100 ms; it includes the
 * api's share, so the worker's own is at most that).
 *
 * A. A generated BENCH_IMPORT_ROWS (default 100,000) × 20 columns .xlsx imported as contacts (name + phone; skip):
 *    seconds from the upload until every row is staged (target ≤ 10 s); then BENCH_IMPORT_WINDOW seconds (default
 *    60) of writing into amoCRM: requests/s and % of the 7 rps limit used (target ≥ 95 %), contacts per create
 *    request (target ≥ 45) and rows per amoCRM request (every row is also looked up by phone in amoCRM by the
 *    engine's find-or-create); then the import is cancelled. Peak RSS (target for the worker ≤ 512 MB).
 * B. A BENCH_IMPORT_BIG_ROWS (default 1,000,000) row CSV (3 columns) imported as a dry run: staged to the end, then
 *    BENCH_IMPORT_WINDOW seconds of row checks, then cancelled (the rows themselves at 7 rps would take days, the
 *    memory it needs is in the reading and staging); peak RSS.
 * C. An export of BENCH_EXPORT_ROWS (default 1,000,000) contacts seeded into the mirror: GET
 *    /api/v1/contacts/export.csv read to the end, rows, seconds, peak RSS.
 * BENCH_IMPORT_PARTS (default A,B,C) picks the parts to run, e.g. BENCH_IMPORT_PARTS=A BENCH_IMPORT_WINDOW=0 for
 * the staging of part A alone.
 * Run: `npm run build -w backend && npm run bench -w backend -- imports`, or from backend/
 * `node -r ./test/support/swc-register.js bench/run.ts imports`. A small check: BENCH_IMPORT_ROWS=2000
 * BENCH_IMPORT_BIG_ROWS=5000 BENCH_EXPORT_ROWS=5000 BENCH_IMPORT_WINDOW=10.
 */
export async function run(): Promise<Row[]> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
  const bigRows = Number(process.env.BENCH_IMPORT_BIG_ROWS ?? 1_000_000);
  const exportRows = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const windowMs = Number(process.env.BENCH_IMPORT_WINDOW ?? 60) * 1000;
  const timeoutMs = Number(process.env.BENCH_IMPORT_TIMEOUT ?? 1800) * 1000;
  const parts = new Set((process.env.BENCH_IMPORT_PARTS ?? 'A,B,C').toUpperCase().split(','));
  raisePriority();
  const dir = await mkdtemp(join(tmpdir(), 'bench-imports-'));
  const amo = await startSandboxProcess(7);
  const api = await startBenchService(
    {
      APP_ROLE: 'all',
      AMOCRM_BASE_URL_TEMPLATE: amo.baseUrlTemplate,
      AMOCRM_RPS: '7',
      AMOCRM_RECONCILE_INTERVAL: 'off',
      IMPORT_MAX_MB: '200',
    },
    {
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the service (its worker threads too)
      nodeFlags: process.env.BENCH_SERVICE_NODE_FLAGS?.split(' ').filter(Boolean),
    },
  );
  const pid = api.child.pid ?? 0;
  const db = await connectDb(api.database);
  const results: Row[] = [];
  try {
    const login = await callJson(`${api.url}/api/v1/auth/login`, { body: BENCH_ADMIN });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const token = login.body.accessToken as string;
    const account = (await amo.control('POST', '/accounts', { subdomain: 'bench' })) as {
      subdomain: string;
      longLivedToken: string;
    };
    const connected = await callJson(`${api.url}/api/v1/connections/amocrm`, {
      method: 'PUT',
      token,
      body: { subdomain: account.subdomain, longLivedToken: account.longLivedToken },
    });
    if (connected.status !== 200) throw new Error(`connect amoCRM: ${connected.status}`);
    await delay(1500); // the connect's calls leave the rate window

    if (parts.has('A')) {
      // A: the .xlsx
      const xlsx = join(dir, 'contacts.xlsx');
      await writeXlsx(xlsx, rows, 20);
      const rss = sampleRss(pid);
      const started = Date.now();
      const cpuAtUpload = cpuSeconds(pid);
      const id = await upload(api.url, token, xlsx, 'contacts.xlsx');
      const cpuAtUploaded = cpuSeconds(pid);
      const uploaded = Date.now();
      await mapAndStart(api.url, token, id, {
        kind: 'contacts',
        columns: { Имя: 'contact.name', Телефон: 'contact.phone' },
        dedupe: 'skip',
      });
      const startAnswered = Date.now();
      const staged = await waitFor(api.url, token, id, (p) => p.staged === true, timeoutMs);
      const stagedSeconds = (Date.now() - started) / 1000;
      const cpuAtStaged = cpuSeconds(pid);
      const stagingRss = rss.peak();
      const from = Date.now();
      const before = staged.created as number;
      await delay(windowMs);
      const after = await progressOf(api.url, token, id);
      const to = Date.now();
      await callJson(`${api.url}/api/v1/imports/${id}/cancel`, { method: 'POST', token });
      const [[failure]] = (await db.query(
        "SELECT message FROM import_rows WHERE import_id = ? AND status = 'failed' LIMIT 1",
        [id],
      )) as any;
      const log = ((await amo.control('GET', '/accounts/bench/requests')) as RequestLogEntry[]).filter(
        (entry) => entry.at >= from && entry.at <= to,
      );
      const creates = log.filter((e) => e.method === 'POST' && e.path.startsWith('/api/v4/contacts')).length;
      const seconds = (to - from) / 1000;
      const created = (after.created as number) - before;
      results.push({
        part: `A: .xlsx ${rows} × 20`,
        'file MB': round((await stat(xlsx)).size / 1e6, 1),
        'upload→staged s': round(stagedSeconds, 1),
        // the upload request (file stored, preview read), then from the start's answer until every row is staged
        'upload s': round((uploaded - started) / 1000, 1),
        'start→staged s': round(stagedSeconds - (startAnswered - started) / 1000, 1),
        // CPU seconds of the service process (all its threads): wall-clock on a shared machine says little
        'upload CPU s': round(cpuAtUploaded - cpuAtUpload, 1),
        'staging CPU s': round(cpuAtStaged - cpuAtUploaded, 1),
        'staging peak RSS MB': stagingRss,
        'amoCRM rps': round(log.length / seconds),
        '% of 7 rps': round((100 * log.length) / seconds / 7, 1),
        'contacts per create': round(created / Math.max(1, creates), 1),
        'rows per request': round(created / Math.max(1, log.length), 2),
        '429s': log.filter((e) => e.status === 429).length,
        'rows done in window': (after.processed as number) - (staged.processed as number),
        'failed rows': after.failed as number,
        'first failure': (failure?.message as string | undefined) ?? '',
        'peak RSS MB': rss.stop(),
      });
    }

    if (parts.has('B')) {
      // B: the 1,000,000-row CSV, dry run
      const csv = join(dir, 'big.csv');
      await writeCsv(csv, bigRows, 3, 5_000_000);
      const rss = sampleRss(pid);
      const bigStarted = Date.now();
      const bigCpuAtUpload = cpuSeconds(pid);
      const big = await upload(api.url, token, csv, 'big.csv');
      await mapAndStart(api.url, token, big, {
        kind: 'contacts',
        columns: { Имя: 'contact.name', Телефон: 'contact.phone', 'E-mail': 'contact.email' },
        dedupe: 'skip',
        dryRun: true,
      });
      const bigStaged = await waitFor(api.url, token, big, (p) => p.staged === true, timeoutMs);
      const bigStagedSeconds = (Date.now() - bigStarted) / 1000;
      const bigCpu = cpuSeconds(pid) - bigCpuAtUpload;
      const checkedBefore = bigStaged.processed as number;
      await delay(windowMs);
      const bigAfter = await progressOf(api.url, token, big);
      await callJson(`${api.url}/api/v1/imports/${big}/cancel`, { method: 'POST', token });
      results.push({
        part: `B: CSV ${bigRows} × 3, dry run`,
        'file MB': round((await stat(csv)).size / 1e6, 1),
        'upload→staged s': round(bigStagedSeconds, 1),
        'upload+staging CPU s': round(bigCpu, 1),
        'rows staged': bigStaged.totalRows as number,
        'rows checked/s': round(((bigAfter.processed as number) - checkedBefore) / (windowMs / 1000)),
        'peak RSS MB': rss.stop(),
      });
    }

    if (parts.has('C')) {
      // C: the export
      const [[me]] = (await db.query('SELECT workspace_id AS ws FROM users WHERE email = ?', [
        BENCH_ADMIN.email,
      ])) as any;
      await seedContacts(db, me.ws as string, exportRows);
      const rss = sampleRss(pid);
      const exportStarted = Date.now();
      const res = await fetch(`${api.url}/api/v1/contacts/export.csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status}`);
      let lines = 0;
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 10) lines += 1;
      }
      results.push({
        part: `C: export.csv of ${exportRows} contacts`,
        'file MB': round(bytes / 1e6, 1),
        'rows exported': lines - 1,
        'export s': round((Date.now() - exportStarted) / 1000, 1),
        'peak RSS MB': rss.stop(),
      });
    }

    return results;
  } finally {
    await db.end();
    await api.stop();
    await amo.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
