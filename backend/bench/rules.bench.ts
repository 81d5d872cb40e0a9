import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lptrackerLeadContext } from '../src/sync/rules/rule-context';
import { compiledRule } from '../src/sync/rules/rule-compile';
import { conditionsMatch, triggerMatches, type RuleEventContext } from '../src/sync/rules/rule-evaluate';
import type { RuleCondition, RuleDocument, RuleFieldType } from '../src/sync/rules/rule.types';
import type { LptrackerLead } from '../src/lptracker/lptracker-lead.types';
import { BENCH_ADMIN, callJson, connectDb, round, startBenchService } from './contacts-bench-support';
import type { Row } from './run';

/**
 * Rules (issue #13 benchmark; not a test):
 * 1. Evaluation cost per event: BENCH_RULES_COUNT (default 200) enabled rules of 10 conditions each, all on the
 *    event's source and type, each condition evaluated (the first nine hold, the tenth decides), the cheap check a
 *    live run makes (each rule version compiled once, rule-compile.ts) over BENCH_RULES_ROUNDS (default 2,000)
 *    events. Target: ≤ 0.2 ms per event. The interpreted check (`triggerMatches` + `conditionsMatch`) is measured
 *    too, for comparison.
 * 2. A backtest over BENCH_RULES_EVENTS (default 100,000) stored LPTracker callbacks: a real service process on a
 *    fresh database, the events written straight into `inbox_events` of the admin's workspace, then one
 *    `POST /api/v1/rules/backtest {rule, from, to}`. Target: ≤ 10 s.
 * Run: `npm run build -w backend && npm run bench -w backend -- rules`, or from backend/
 * `node -r ./test/support/swc-register.js bench/rules.bench.ts`; a tiny run: BENCH_RULES_EVENTS=2000
 * BENCH_RULES_ROUNDS=200. BENCH_RULES_PARTS=evaluation measures the evaluation only (no service, no database).
 */
const TYPES: Record<string, RuleFieldType> = {
  'view.source': 'string',
  'view.campaign': 'string',
  'view.keyword': 'string',
  'contact.name': 'string',
  'contact.phone': 'strings',
  'lptracker.name': 'string',
};
const typeOf = (ref: string): RuleFieldType | null => TYPES[ref] ?? null;

function lead(i: number): LptrackerLead {
  return {
    projectId: 1,
    id: 1_000_000 + i,
    action: 'create',
    actionTimestamp: String(1_700_000_000_000 + i),
    updateFields: null,
    updatedAt: null,
    createdAt: null,
    name: `Заявка ${i}`,
    stageId: null,
    stageName: null,
    ownerId: null,
    contact: {
      id: i,
      name: `Клиент ${i}`,
      phones: [`+7916${String(i).padStart(7, '0')}`],
      emails: [],
      invalidPhones: [],
    },
    view: { source: i % 2 === 0 ? 'yandex.direct' : 'google', campaign: 'zima-2026', keyword: 'okna pvh' },
    custom: [],
  };
}

/** Ten conditions: nine that hold for every event, the tenth (a value no event has) fails, so all ten run. */
function conditions(r: number): RuleCondition[] {
  return [
    { field: 'view.campaign', op: 'starts_with', value: 'zima' },
    { field: 'view.keyword', op: 'contains', value: 'okna' },
    { field: 'contact.name', op: 'not_empty' },
    { field: 'contact.phone', op: 'starts_with', value: '+7' },
    { field: 'lptracker.name', op: 'contains', value: 'Заявка' },
    { field: 'view.source', op: 'in', value: ['yandex.direct', 'google', `other-${r}`] },
    { field: 'view.keyword', op: 'neq', value: `stop-${r}` },
    { field: 'contact.name', op: 'not_contains', value: `bot-${r}` },
    { field: 'view.campaign', op: 'regex', value: '^zima-\\d{4}$' },
    { field: 'view.source', op: 'eq', value: `never-${r}` },
  ];
}

function evaluationCost(
  rules: number,
  rounds: number,
  how: 'compiled' | 'interpreted',
): { perEvent: number; matched: number } {
  const docs = Array.from({ length: rules }, (_, r) => ({
    ruleId: `bench-${r}`,
    version: 1,
    document: {
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: conditions(r) },
    } satisfies Pick<RuleDocument, 'trigger' | 'conditions'>,
  }));
  const contexts: RuleEventContext[] = Array.from({ length: rounds }, (_, i) =>
    lptrackerLeadContext(lead(i), 'lead.created'),
  );
  let matched = 0;
  const run =
    how === 'compiled'
      ? (ctx: RuleEventContext) => {
          for (const rule of docs) if (compiledRule(rule).matches(ctx, typeOf)) matched += 1;
        }
      : (ctx: RuleEventContext) => {
          for (const { document: doc } of docs)
            if (triggerMatches(doc.trigger, ctx, typeOf) && conditionsMatch(doc.conditions, ctx, typeOf))
              matched += 1;
        };
  for (const ctx of contexts.slice(0, Math.min(50, rounds))) run(ctx); // warm up
  matched = 0;
  const start = performance.now();
  for (const ctx of contexts) run(ctx);
  return { perEvent: (performance.now() - start) / rounds, matched };
}

async function storeEvents(database: string, workspaceId: string, total: number): Promise<void> {
  const db = await connectDb(database);
  try {
    const batch = 1000;
    for (let start = 0; start < total; start += batch) {
      const rows: unknown[][] = [];
      for (let i = start; i < Math.min(total, start + batch); i++) {
        const body = JSON.stringify({
          action: 'create',
          id: 1_000_000 + i,
          project_id: 1,
          action_timestamp: 1_700_000_000_000 + i,
          name: `Заявка ${i}`,
          view: { source: i % 10 === 0 ? 'yandex.direct' : 'google', campaign: 'zima-2026', keyword: 'okna' },
          contact: {
            id: i,
            name: `Клиент ${i}`,
            details: [{ type: 'phone', data: `+7916${String(i).padStart(7, '0')}` }],
          },
        });
        const at = new Date(Date.now() - (total - i) * 1000);
        rows.push([
          randomUUID(),
          workspaceId,
          'lptracker',
          'lead.create',
          'done',
          'application/json',
          '{}',
          Buffer.from(body),
          '{}',
          '[]',
          1,
          'first',
          '[]',
          at,
          at,
        ]);
      }
      await db.query(
        `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body,
           summary, change_keys, settings_version, mode, history, created_at, updated_at) VALUES ?`,
        [rows],
      );
    }
  } finally {
    await db.end();
  }
}

/** CPU time (user + system) the service process has used so far, in ms (Linux /proc; 0 elsewhere). */
function serviceCpuMs(pid: number | undefined): number {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return 0;
  // fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second)
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function backtest(
  total: number,
): Promise<{ seconds: number; cpuMs: number; scanned: number; matched: number }> {
  // BENCH_RULES_PROFILE=<dir>: the service writes a V8 CPU profile there when it stops
  const profile = process.env.BENCH_RULES_PROFILE;
  // from bench/ as TypeScript, from dist/bench/ compiled: the preload is backend/test/support/
  const backend = __filename.endsWith('.js') ? join(__dirname, '..', '..') : join(__dirname, '..');
  const preload = join(backend, 'test', 'support', 'cpu-profile-preload.js');
  const service = await startBenchService({
    APP_ROLE: 'api',
    ...(profile ? { NODE_OPTIONS: `--require ${preload}`, BENCH_CPU_PROFILE_DIR: profile } : {}),
  });
  try {
    const login = await callJson(`${service.url}/api/v1/auth/login`, { body: BENCH_ADMIN });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    await storeEvents(service.database, login.body.user.workspaceId as string, total);
    const rule = {
      name: 'Бенч: Яндекс',
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'view.source', op: 'contains', value: 'yandex' }] },
      actions: [{ type: 'add_tags', tags: ['VIP'] }],
    };
    const cpuBefore = serviceCpuMs(service.child.pid);
    const start = performance.now();
    const res = await callJson(`${service.url}/api/v1/rules/backtest`, {
      token: login.body.accessToken as string,
      body: { rule, from: '2000-01-01', to: new Date(Date.now() + 60_000).toISOString() },
    });
    const seconds = (performance.now() - start) / 1000;
    const cpuMs = serviceCpuMs(service.child.pid) - cpuBefore;
    if (res.status !== 200) throw new Error(`backtest failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { seconds, cpuMs, scanned: res.body.scanned as number, matched: res.body.matched as number };
  } finally {
    await service.stop();
  }
}

export async function run(): Promise<Row[]> {
  const rules = Number(process.env.BENCH_RULES_COUNT ?? 200);
  const rounds = Number(process.env.BENCH_RULES_ROUNDS ?? 2000);
  const events = Number(process.env.BENCH_RULES_EVENTS ?? 100_000);
  const evaluationOnly = process.env.BENCH_RULES_PARTS === 'evaluation';
  const interpreted = evaluationCost(rules, rounds, 'interpreted');
  const cost = evaluationCost(rules, rounds, 'compiled');
  const rows: Row[] = [
    {
      metric: `evaluation, ${rules} rules x 10 conditions`,
      value: `${round(cost.perEvent, 4)} ms/event`,
      target: '<= 0.2 ms/event',
      ok: cost.perEvent <= 0.2 ? 'yes' : 'NO',
      note: `compiled; ${rounds} events, ${cost.matched} matches (expected 0)`,
    },
    {
      metric: `evaluation, interpreted (for comparison)`,
      value: `${round(interpreted.perEvent, 4)} ms/event`,
      target: '-',
      ok: '-',
      note: `${rounds} events, ${interpreted.matched} matches (expected 0)`,
    },
  ];
  if (evaluationOnly) return rows;
  const back = await backtest(events);
  rows.push({
    metric: `backtest over ${events} stored events`,
    value: `${round(back.seconds, 2)} s`,
    target: '<= 10 s',
    ok: back.seconds <= 10 ? 'yes' : 'NO',
    note: `scanned ${back.scanned}, matched ${back.matched}; service CPU ${round(back.cpuMs / back.scanned, 4)} ms/event; load ${loadavg()
      .map((n) => round(n, 1))
      .join(' ')}`,
  });
  return rows;
}

if (require.main === module) {
  run()
    .then((rows) => console.table(rows))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
