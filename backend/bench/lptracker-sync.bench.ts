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
import { connectBothCrms, startLpSandboxProcess } from './lptracker-bench-support';
import type { Row } from './run';

/**
 * LPTracker → amoCRM sync: BENCH_LPTRACKER_WEBHOOKS (default 1,000) LPTracker webhooks — new leads with new contacts,
 * and BENCH_LPTRACKER_UPDATE_SHARE (default 0.15) of them renames of leads made a moment earlier (the lead name is
 * mapped by the default mapping, so each is one amoCRM write) — made as a manager would in the LPTracker sandbox
 * (control API), so the sandbox posts its real callbacks (form field `data`, in order) to the service, which syncs
 * them into the amoCRM sandbox limited to 7 requests/s (AMOCRM_RPS=7). Both sandboxes run in processes of their own;
 * the service is one APP_ROLE=all process on a fresh database, connected as an admin would (default mapping).
 *
 * Measured: time from the first lead made until every lead is in amoCRM with its latest name; amoCRM requests per
 * new lead (everything but the lead PATCHes of the renames; target ≤ 1.5); duplicates (an amoCRM lead per LPTracker
 * lead, a contact per phone: must be 0); 429 answers (must be 0); inbox outcome.
 * Run: `npm run build -w backend && npm run bench -w backend -- lptracker`, or from backend/
 * `node -r ./test/support/swc-register.js bench/lptracker-sync.bench.ts`. BENCH_LPTRACKER_TIMEOUT (seconds, default
 * 1,800) ends the wait.
 */
const NAME = 'Бенч-заявка';
const RENAMED = 'уточнена';

export async function run(): Promise<Row[]> {
  const total = Number(process.env.BENCH_LPTRACKER_WEBHOOKS ?? 1000);
  const share = Number(process.env.BENCH_LPTRACKER_UPDATE_SHARE ?? 0.15);
  const timeoutMs = Number(process.env.BENCH_LPTRACKER_TIMEOUT ?? 1800) * 1000;
  const lag = 5; // a rename follows the lead it renames by this many new leads
  const updates = Math.max(0, Math.min(Math.round(total * share), Math.floor((total - lag) / 2)));
  const creates = total - updates;
  const prioritised = raisePriority();
  const amo = await startSandboxProcess(7);
  const lp = await startLpSandboxProcess();
  const service = await startBenchService({
    APP_ROLE: 'all',
    AMOCRM_BASE_URL_TEMPLATE: amo.baseUrlTemplate,
    AMOCRM_RPS: '7',
    LPTRACKER_BASE_URL: lp.url,
    AMOCRM_RECONCILE_INTERVAL: 'off',
  });
  const db = await connectDb(service.database);
  try {
    const login = await callJson(`${service.url}/api/v1/auth/login`, { body: BENCH_ADMIN });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    const amoAccount = (await amo.control('POST', '/accounts', { subdomain: 'bench' })) as {
      subdomain: string;
      longLivedToken: string;
    };
    const lpAccount = (await lp.control('POST', '/accounts', { key: 'bench', seed: true })) as {
      login: string;
      password: string;
    };
    const [project] = (await lp.control('GET', '/accounts/bench/projects')) as { id: number }[];
    const { mappingVersion } = await connectBothCrms(
      service.url,
      login.body.accessToken as string,
      { subdomain: amoAccount.subdomain, longLivedToken: amoAccount.longLivedToken },
      { login: lpAccount.login, password: lpAccount.password, projectId: project.id },
    );
    await delay(1500); // let the connect's calls leave the rate window
    await amo.control('DELETE', '/accounts/bench/requests');

    // the load: new leads, each k-th followed by the rename of the lead made `lag` leads earlier
    const ids: Promise<number>[] = [];
    const resolvers: ((id: number) => void)[] = [];
    for (let i = 0; i < creates; i++) ids.push(new Promise((resolve) => resolvers.push(resolve)));
    const renamed = new Set<number>();
    const ops: (() => Promise<void>)[] = [];
    const every = updates > 0 ? (creates - lag) / updates : Infinity;
    for (let i = 0; i < creates; i++) {
      ops.push(async () => {
        const lead = (await lp.control('POST', '/accounts/bench/manager/leads', {
          name: `${NAME} ${i}`,
          contact: {
            project_id: project.id,
            name: `Клиент ${i}`,
            details: [{ type: 'phone', data: `+7 927 ${String(1_000_000 + i).slice(-7)}` }],
          },
          view: { source: 'yandex', campaign: 'bench', keyword: 'окна' },
        })) as { id: number };
        resolvers[i](lead.id);
      });
      const target = i - lag;
      if (target >= 0 && renamed.size < updates && renamed.size < (i - lag + 1) / every) {
        renamed.add(target);
        ops.push(async () => {
          const id = await ids[target];
          await lp.control('PUT', `/accounts/bench/manager/leads/${id}`, {
            name: `${NAME} ${target} ${RENAMED}`,
          });
        });
      }
    }
    const renames = renamed.size;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let op = next++; op < ops.length; op = next++) await ops[op]();
      }),
    );
    const madeSeconds = (Date.now() - started) / 1000;

    // until every lead is in amoCRM with its latest name (and the inbox has nothing left to do)
    let inAmocrmAt: number | null = null;
    let leads: AmoLead[] = [];
    while (Date.now() - started < timeoutMs) {
      leads = ((await amo.control('GET', '/accounts/bench/leads')) as AmoLead[]).filter((lead) =>
        lead.name.startsWith(NAME),
      );
      const latest = new Set(leads.map((lead) => lead.name));
      const complete = Array.from({ length: creates }, (_, i) =>
        renamed.has(i) ? `${NAME} ${i} ${RENAMED}` : `${NAME} ${i}`,
      ).every((name) => latest.has(name));
      if (complete && inAmocrmAt === null) inAmocrmAt = Date.now();
      if (inAmocrmAt !== null && (await unfinished(db)) === 0) break;
      await delay(inAmocrmAt === null ? 1000 : 200);
    }
    const seconds = ((inAmocrmAt ?? Date.now()) - started) / 1000;

    const log = (await amo.control('GET', '/accounts/bench/requests')) as RequestLogEntry[];
    const count = (test: (entry: RequestLogEntry) => boolean): number => log.filter(test).length;
    const patches = count((e) => e.method === 'PATCH' && e.path.startsWith('/api/v4/leads'));
    const lookups = count((e) => e.method === 'GET' && e.path.startsWith('/api/v4/contacts'));
    const complex = count((e) => e.method === 'POST' && e.path.startsWith('/api/v4/leads/complex'));
    const tooMany = count((e) => e.status === 429);
    const span = log.length > 1 ? (log[log.length - 1].at - log[0].at) / 1000 : 0;
    const contacts = (await amo.control('GET', '/accounts/bench/contacts')) as AmoContact[];
    const leadCopies = duplicates(
      leads.map((lead) => /\d+/.exec(lead.name.slice(NAME.length))?.[0] ?? lead.name),
    );
    const phoneCopies = duplicates(contacts.flatMap(phonesOf).filter((phone) => phone.startsWith('7927')));
    const deliveries = (await lp.control('GET', '/accounts/bench/deliveries')) as { state: string }[];
    const [[links]] = (await db.query(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT amocrm_lead_id) AS leads FROM lptracker_links',
    )) as any;
    const [outcomes] = (await db.query(
      "SELECT status, skip_reason AS reason, COUNT(*) AS n FROM inbox_events WHERE source = 'lptracker' GROUP BY status, skip_reason",
    )) as any;
    const perNewLead = (log.length - patches) / Math.max(creates, 1);

    const rows: Row[] = [
      {
        metric: 'LPTracker webhooks: new leads / renames',
        value: `${creates} / ${renames}`,
        target: `${creates + renames} in all`,
      },
      {
        metric: 'LPTracker callbacks delivered / failed / other',
        value: `${deliveries.filter((d) => d.state === 'delivered').length} / ${deliveries.filter((d) => d.state === 'failed').length} / ${deliveries.filter((d) => d.state !== 'delivered' && d.state !== 'failed').length}`,
        target: `${creates + renames} / 0 / 0`,
      },
      {
        metric: 'inbox events (status[:reason] × n)',
        value: (outcomes as { status: string; reason: string | null; n: number }[])
          .map((o) => `${o.status}${o.reason ? `:${o.reason}` : ''}×${o.n}`)
          .join(', '),
        target: `done×${creates + renames}`,
      },
      { metric: 'leads made in LPTracker, s', value: round(madeSeconds, 1), target: '' },
      {
        metric: inAmocrmAt === null ? 'NOT ALL IN amoCRM after, s' : 'time until all are in amoCRM, s',
        value: round(seconds, 1),
        target: `≈ ${round((creates * 1.05 + renames) / 6.6, 0)} at 6.6 rps`,
      },
      {
        metric: 'amoCRM leads / contacts (bench)',
        value: `${leads.length} / ${contacts.length}`,
        target: `${creates} / ${creates}`,
      },
      {
        metric: 'duplicate amoCRM leads / contacts',
        value: `${leadCopies} / ${phoneCopies}`,
        target: '0 / 0',
      },
      {
        metric: 'links / distinct amoCRM leads',
        value: `${links.n} / ${links.leads}`,
        target: `${creates} / ${creates}`,
      },
      {
        metric: 'amoCRM requests: total / contact lookups / leads/complex / lead PATCH / other',
        value: `${log.length} / ${lookups} / ${complex} / ${patches} / ${log.length - lookups - complex - patches}`,
        target: '',
      },
      {
        metric: 'amoCRM requests per new lead (all but the renames)',
        value: round(perNewLead, 3),
        target: '≤ 1.5',
      },
      {
        metric: 'amoCRM requests per rename',
        value: round(patches / Math.max(renames, 1), 3),
        target: '≈ 1 (batched: less)',
      },
      { metric: 'amoCRM 429 answers', value: tooMany, target: 0 },
      {
        metric: 'achieved amoCRM requests/s',
        value: round(log.length / Math.max(span, 0.001)),
        target: '≤ 7',
      },
      {
        metric: 'mapping version / raised priority',
        value: `${mappingVersion} / ${prioritised ? 'yes' : 'no'}`,
        target: '',
      },
    ];
    if (perNewLead > 1.5)
      rows.push({ metric: 'MISSED: requests per new lead', value: round(perNewLead, 3), target: '≤ 1.5' });
    return rows;
  } finally {
    await db.end();
    await service.stop();
    await lp.stop();
    await amo.stop();
  }
}

interface AmoLead {
  id: number;
  name: string;
}

interface AmoContact {
  id: number;
  custom_fields_values?: { field_code?: string | null; values: { value: unknown }[] }[] | null;
}

function phonesOf(contact: AmoContact): string[] {
  return (contact.custom_fields_values ?? [])
    .filter((field) => field.field_code === 'PHONE')
    .flatMap((field) => field.values.map((value) => String(value.value).replace(/\D/g, '')));
}

/** How many values occur more than once, counting every extra copy. */
function duplicates(values: string[]): number {
  return values.length - new Set(values).size;
}

async function unfinished(db: Awaited<ReturnType<typeof connectDb>>): Promise<number> {
  const [[row]] = (await db.query(
    "SELECT COUNT(*) AS n FROM inbox_events WHERE status IN ('received', 'queued', 'processing')",
  )) as any;
  return Number(row.n);
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
