import { lptrackerLeadContext } from './rule-context';
import type { RuleEventContext } from './rule-evaluate';
import { explainChainOver } from './rule-runner.service';
import type { RuleDocument, RuleForRun } from './rule.types';

const typeOf = () => 'number' as const;

const ctx = (event: 'lead.updated' | 'lead.stage_changed', stage: number): RuleEventContext => ({
  ...lptrackerLeadContext(
    {
      projectId: 1,
      id: 2,
      action: 'update',
      actionTimestamp: null,
      updateFields: ['stage'],
      updatedAt: null,
      createdAt: null,
      name: 'x',
      stageId: stage,
      stageName: null,
      ownerId: null,
      contact: { id: null, name: null, phones: [], emails: [], invalidPhones: [] },
      view: { source: null, campaign: null, keyword: null },
      custom: [],
    },
    event,
  ),
});

const rule = (id: string, events: RuleDocument['trigger']['events'], stop: boolean): RuleForRun => ({
  ruleId: id,
  version: 3,
  document: {
    schemaVersion: 1,
    name: id,
    enabled: true,
    priority: 1,
    trigger: { source: 'lptracker', events, changedFields: [] },
    conditions: { all: [{ field: 'lptracker.stage', op: 'eq', value: 7 }] },
    actions: stop
      ? [{ type: 'add_tags', tags: ['a'] }, { type: 'stop' }]
      : [{ type: 'add_tags', tags: ['b'] }],
  },
});

describe('explainChainOver (a change standing for several domain events)', () => {
  const contexts = [ctx('lead.updated', 7), ctx('lead.stage_changed', 7)];

  it('a rule matches on any of the events; its stop ends the chain for the rest', () => {
    const out = explainChainOver(
      [rule('on-stage', ['lead.stage_changed'], true), rule('later', ['lead.updated'], false)],
      contexts,
      typeOf,
    );
    expect(out.map((e) => [e.ruleId, e.version, e.outcome])).toEqual([
      ['on-stage', 3, 'matched'],
      ['later', 3, 'stopped'],
    ]);
    expect(out[0].actions.map((a) => a.type)).toEqual(['add_tags', 'stop']);
  });

  it('conditions that do not hold are explained with the value seen; another event type is a trigger miss', () => {
    const out = explainChainOver(
      [rule('on-stage', ['lead.stage_changed'], true), rule('created', ['lead.created'], false)],
      [ctx('lead.updated', 5), ctx('lead.stage_changed', 5)],
      typeOf,
    );
    expect(out.map((e) => e.outcome)).toEqual(['conditions', 'trigger']);
    expect(out[0].conditions[0]).toMatchObject({ actual: 5, matched: false });
  });
});
