import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { lptrackerEventsOf, lptrackerLeadContext } from './rule-context';
import { resolveField } from './rule-fields';
import { explainChain, explainRule } from './rule-plan';
import type { RuleDocument, RuleForRun } from './rule.types';
import { RULE_META } from './testing/rule-test-metadata';

const typeOf = (ref: string) => {
  const resolved = resolveField(ref, RULE_META);
  return resolved.ok ? resolved.type : null;
};

const LEAD: LptrackerLead = {
  projectId: 77,
  id: 5001,
  action: 'update',
  actionTimestamp: '1765000000000',
  updateFields: ['stage', 'custom.901'],
  updatedAt: 1765000000,
  createdAt: null,
  name: 'Заявка с сайта',
  stageId: 62,
  stageName: 'Продажа',
  ownerId: 71,
  contact: { id: 9, name: 'Пётр', phones: ['+79165551234'], emails: [], invalidPhones: [] },
  view: { source: 'yandex', campaign: 'vip', keyword: null },
  custom: [
    { id: 900, name: 'Откуда', value: 'Директ' },
    { id: 901, name: 'Тип', value: 'Опт' },
  ],
};

const rule = (name: string, extra: Partial<RuleDocument> = {}): RuleForRun => ({
  ruleId: `r-${name}`,
  version: 1,
  document: {
    schemaVersion: 1,
    name,
    enabled: true,
    priority: 10,
    trigger: { source: 'lptracker', events: ['lead.stage_changed'], changedFields: [] },
    conditions: { all: [{ field: 'lptracker.stage', op: 'changed_to', value: 62 }] },
    actions: [{ type: 'add_tags', tags: [name] }],
    ...extra,
  },
});

describe('rule chains on an LPTracker lead', () => {
  it('reads the lead’s values and what LPTracker says changed', () => {
    expect(lptrackerEventsOf(LEAD)).toEqual(['lead.updated', 'lead.stage_changed']);
    expect(lptrackerEventsOf({ ...LEAD, action: 'create' })).toEqual(['lead.created']);
    expect(lptrackerEventsOf({ ...LEAD, updateFields: ['name'] })).toEqual(['lead.updated']);
    const ctx = lptrackerLeadContext(LEAD, 'lead.stage_changed');
    expect(ctx.changedFields).toEqual(['lptracker.stage', 'lptracker.custom.901']);
    expect(ctx.values).toMatchObject({
      'lptracker.stage': 62,
      'lptracker.owner': 71,
      'contact.phone': ['+79165551234'],
      'view.source': 'yandex',
      'lptracker.custom.901': 'Опт',
      'event.type': 'lead.stage_changed',
    });
  });

  it('runs matching rules in order, actions through stop, and stop ends the chain', () => {
    const ctx = lptrackerLeadContext(LEAD, 'lead.stage_changed');
    const chain = explainChain(
      [
        rule('не тот источник', {
          trigger: { source: 'amocrm', events: ['lead.stage_changed'], changedFields: [] },
        }),
        rule('не то условие', { conditions: { field: 'view.campaign', op: 'eq', value: 'other' } }),
        rule('первое', {
          actions: [
            { type: 'add_tags', tags: ['VIP'] },
            { type: 'stop' },
            { type: 'add_note', text: 'never' },
          ],
        }),
        rule('после stop'),
      ],
      ctx,
      typeOf,
    );
    expect(chain.map((r) => [r.name, r.outcome, r.actions.map((a) => a.type)])).toEqual([
      ['не тот источник', 'trigger', []],
      ['не то условие', 'conditions', []],
      ['первое', 'matched', ['add_tags', 'stop']],
      ['после stop', 'stopped', []],
    ]);
    expect(chain[1].conditions).toEqual([
      { path: 'conditions', field: 'view.campaign', op: 'eq', value: 'other', actual: 'vip', matched: false },
    ]);
    // without stop every matching rule acts
    const all = explainChain([rule('a'), rule('b')], ctx, typeOf);
    expect(all.map((r) => r.outcome)).toEqual(['matched', 'matched']);
  });

  it('watches changed fields: a rule on the custom field fires, one on the owner does not', () => {
    const ctx = lptrackerLeadContext(LEAD, 'lead.updated');
    const watching = (field: string) =>
      explainRule(
        {
          ...rule('x').document,
          trigger: { source: 'lptracker', events: ['lead.updated'], changedFields: [field] },
          conditions: { all: [] },
        },
        ctx,
        typeOf,
      ).outcome;
    expect(watching('lptracker.custom.901')).toBe('matched');
    expect(watching('lptracker.owner')).toBe('trigger');
  });
});
