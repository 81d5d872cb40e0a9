import { compileConditions, compileTrigger, compiledRule } from './rule-compile';
import { conditionsMatch, evaluateConditions, triggerMatches, type RuleEventContext } from './rule-evaluate';
import { RulesForRunCache } from './rule-run-cache';
import { explainChainOver } from './rule-runner.service';
import {
  RULE_EVENTS,
  RULE_OPERATORS,
  RULE_SOURCES,
  type RuleConditionNode,
  type RuleFieldType,
  type RuleForRun,
  type RuleScalar,
  type RuleTrigger,
} from './rule.types';
import type { RuleValue } from './rule-values';

/** A deterministic generator (mulberry32), so a failure repeats. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return { next, pick };
}

const FIELDS: Record<string, RuleFieldType> = {
  'lead.name': 'string',
  'lead.price': 'number',
  'lead.created_at': 'date',
  'lead.custom.105': 'boolean',
  'lead.status': 'enum',
  'lead.custom.104': 'multi_enum',
  'lead.tags': 'strings',
  'contact.phone': 'strings',
};
const REFS = [...Object.keys(FIELDS), 'lead.gone'];
const typeOf = (ref: string): RuleFieldType | null =>
  FIELDS[ref.startsWith('old.') ? ref.slice(4) : ref] ?? null;

const SCALARS: RuleScalar[] = [
  'Кухня',
  ' кухня ',
  'VIP',
  'vip',
  '+7916',
  '12',
  12,
  0,
  '2500',
  '2,5',
  1500.5,
  '2026-01-05',
  '05.01.2026',
  '2026-01-05T10:30:00Z',
  1767600000,
  true,
  false,
  '1',
  'true',
  '',
  '^ку.*я$',
  '(?i)vip',
  '(',
];
const VALUES: RuleValue[] = [
  null,
  '',
  '  ',
  'Кухня на заказ',
  'VIP',
  12,
  '12',
  0,
  2500,
  '2,5',
  1500.5,
  true,
  false,
  '2026-01-05',
  '2026-01-05T10:30:00Z',
  '05.01.2026 12:00',
  1767600000,
  ['VIP', 'Сайт'],
  ['+79165551234', '+74951234567'],
  [12, 21],
  [],
  ['', ' '],
];

function condition(g: ReturnType<typeof generator>): RuleConditionNode {
  const field = (g.next() < 0.2 ? 'old.' : '') + g.pick(REFS);
  const op = g.pick(RULE_OPERATORS);
  const roll = g.next();
  if (roll < 0.15) return { field, op };
  if (roll < 0.45) return { field, op, value: [g.pick(SCALARS), g.pick(SCALARS), g.pick(SCALARS)] };
  return { field, op, value: g.pick(SCALARS) };
}

function node(g: ReturnType<typeof generator>, depth: number): RuleConditionNode {
  const roll = g.next();
  if (depth >= 3 || roll < 0.45) return condition(g);
  const children = Array.from({ length: 1 + Math.floor(g.next() * 4) }, () => node(g, depth + 1));
  if (roll < 0.7) return { all: children };
  if (roll < 0.9) return { any: children };
  return { not: children[0] };
}

function values(g: ReturnType<typeof generator>): Record<string, RuleValue> {
  const out: Record<string, RuleValue> = {};
  for (const ref of REFS) if (g.next() < 0.8) out[ref] = g.pick(VALUES);
  return out;
}

function context(g: ReturnType<typeof generator>): RuleEventContext {
  return {
    source: g.pick(RULE_SOURCES.slice(0, 2)),
    event: g.pick(RULE_EVENTS.slice(0, 3)),
    values: values(g),
    old: g.next() < 0.6 ? values(g) : null,
    changedFields: g.next() < 0.5 ? REFS.filter(() => g.next() < 0.3) : null,
  };
}

function trigger(g: ReturnType<typeof generator>): RuleTrigger {
  return {
    source: g.pick(RULE_SOURCES.slice(0, 2)),
    events: RULE_EVENTS.slice(0, 3).filter(() => g.next() < 0.6),
    changedFields: g.next() < 0.5 ? [] : REFS.filter(() => g.next() < 0.25),
  };
}

describe('compiled rule check: the same answers as the interpreted evaluator', () => {
  it('conditions: 1,500 generated condition trees on 20 generated events each', () => {
    const g = generator(20261207);
    const events = Array.from({ length: 20 }, () => context(g));
    let matched = 0;
    let compared = 0;
    for (let i = 0; i < 1500; i++) {
      const tree = node(g, 0);
      const compiled = compileConditions(tree);
      for (const ctx of events) {
        const expected = conditionsMatch(tree, ctx, typeOf);
        const got = compiled(ctx, typeOf);
        if (got !== expected)
          throw new Error(`differs on ${JSON.stringify(tree)} / ${JSON.stringify(ctx)}: ${got}`);
        // asked twice on the same event (the remembered answer) and after another event
        expect(compiled(ctx, typeOf)).toBe(expected);
        if (expected) matched += 1;
        compared += 1;
      }
    }
    expect(compared).toBe(30_000);
    // the generated cases exercise both answers
    expect(matched).toBeGreaterThan(2500);
    expect(compared - matched).toBeGreaterThan(2500);
  });

  it('triggers: 1,000 generated triggers on 20 generated events each', () => {
    const g = generator(7);
    const events = Array.from({ length: 20 }, () => context(g));
    let fired = 0;
    for (let i = 0; i < 1000; i++) {
      const t = trigger(g);
      const compiled = compileTrigger(t);
      for (const ctx of events) {
        const expected = triggerMatches(t, ctx, typeOf);
        expect(compiled(ctx, typeOf)).toBe(expected);
        if (expected) fired += 1;
      }
    }
    expect(fired).toBeGreaterThan(500);
  });

  it('a field whose type changed (metadata) is compared by its type now', () => {
    const tree: RuleConditionNode = { field: 'lead.x', op: 'gt', value: '10' };
    const compiled = compileConditions(tree);
    const ctx: RuleEventContext = {
      source: 'lptracker',
      event: 'lead.updated',
      values: { 'lead.x': '9' },
      old: null,
      changedFields: null,
    };
    const asNumber = () => 'number' as const;
    const asText = () => 'string' as const;
    const gone = () => null;
    expect(compiled(ctx, asNumber)).toBe(false);
    expect(conditionsMatch(tree, ctx, asText)).toBe(false);
    expect(compiled(ctx, gone)).toBe(false);
    const bigger = { ...ctx, values: { 'lead.x': '11' } };
    expect(compiled(bigger, asNumber)).toBe(true);
    expect(compiled(bigger, asText)).toBe(conditionsMatch(tree, bigger, asText));
    expect(compiled(bigger, asText)).toBe(false);
    expect(compiled(bigger, gone)).toBe(false);
  });

  it('the runner explains with the compiled check the same chain as explaining every event', () => {
    const g = generator(99);
    for (let round = 0; round < 200; round++) {
      const rules: RuleForRun[] = Array.from({ length: 6 }, (_, r) => ({
        ruleId: `r${round}-${r}`,
        version: 1,
        document: {
          schemaVersion: 1,
          name: `rule ${r}`,
          enabled: true,
          priority: r,
          trigger: trigger(g),
          conditions: node(g, 0),
          actions: g.next() < 0.3 ? [{ type: 'stop' }] : [{ type: 'add_tags', tags: ['x'] }],
        },
      }));
      const contexts = Array.from({ length: 1 + Math.floor(g.next() * 3) }, () => context(g));
      const chain = explainChainOver(rules, contexts, typeOf);
      // the interpreted reference: every event explained, the first match (else first trigger hit) kept
      let stopped = false;
      rules.forEach((rule, i) => {
        const outcome = chain[i].outcome;
        if (stopped) return expect(outcome).toBe('stopped');
        const fired = contexts.filter((ctx) => triggerMatches(rule.document.trigger, ctx, typeOf));
        const hit = fired.find((ctx) => evaluateConditions(rule.document.conditions, ctx, typeOf).matched);
        expect(outcome).toBe(hit ? 'matched' : fired.length > 0 ? 'conditions' : 'trigger');
        const explained = hit ?? fired[0];
        if (explained)
          expect(chain[i].conditions).toEqual(
            evaluateConditions(rule.document.conditions, explained, typeOf).conditions,
          );
        stopped = outcome === 'matched' && rule.document.actions.some((a) => a.type === 'stop');
      });
    }
  });

  it('a rule version is compiled once (by document, then by id and version)', () => {
    const document = {
      trigger: { source: 'lptracker' as const, events: ['lead.created' as const], changedFields: [] },
      conditions: { field: 'lead.name', op: 'eq' as const, value: 'a' },
    };
    const first = compiledRule({ ruleId: 'r1', version: 3, document });
    expect(compiledRule({ ruleId: 'r1', version: 3, document })).toBe(first);
    expect(compiledRule({ ruleId: 'r1', version: 3, document: { ...document } })).toBe(first);
    expect(compiledRule({ ruleId: 'r1', version: 4, document: { ...document } })).not.toBe(first);
  });
});

describe('RulesForRunCache', () => {
  const rules = (n: number): RuleForRun[] => [
    {
      ruleId: `r${n}`,
      version: n,
      document: {
        schemaVersion: 1,
        name: 'x',
        enabled: true,
        priority: 1,
        trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
        conditions: { all: [] },
        actions: [],
      },
    },
  ];

  it('reads a (workspace, settings version) once, keeps at most cap entries, and does not keep a failed read', async () => {
    const cache = new RulesForRunCache(2);
    let reads = 0;
    const load = (n: number) => () => {
      reads += 1;
      return Promise.resolve(rules(n));
    };
    expect(await cache.get('w', 1, load(1))).toEqual(rules(1));
    expect(await cache.get('w', 1, load(99))).toEqual(rules(1));
    expect(reads).toBe(1);
    await cache.get('w', 2, load(2));
    await cache.get('w', 1, load(99)); // 1 is now the most recently used
    await cache.get('w', 3, load(3)); // 2 goes
    expect(cache.size).toBe(2);
    expect(await cache.get('w', 1, load(99))).toEqual(rules(1));
    expect(await cache.get('w', 2, load(2))).toEqual(rules(2));
    expect(reads).toBe(4);
    await expect(cache.get('v', 1, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('v', 1, load(5))).toEqual(rules(5));
  });
});
