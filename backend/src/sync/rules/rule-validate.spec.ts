import { ruleNeedsAmocrm } from './rule-check';
import { validateRuleBody } from './rule-validate';
import { RULE_META } from './testing/rule-test-metadata';

const VALID = {
  name: 'VIP из Яндекса',
  enabled: true,
  priority: 10,
  trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
  conditions: {
    all: [
      { field: 'lead.price', op: 'gt', value: 100000 },
      {
        any: [
          { field: 'view.source', op: 'contains', value: 'yandex' },
          { not: { field: 'contact.email', op: 'empty' } },
        ],
      },
    ],
  },
  actions: [
    { type: 'move_stage', system: 'amocrm', pipelineId: 1, statusId: 12 },
    { type: 'add_tags', tags: ['VIP'] },
    { type: 'stop' },
  ],
};

const fieldsOf = (body: unknown) =>
  validateRuleBody(body, RULE_META).errors.map((e) => `${e.field} ${e.code}`);
const withConditions = (conditions: unknown) => ({ ...VALID, conditions });
const withActions = (...actions: unknown[]) => ({ ...VALID, actions });

describe('rule validation', () => {
  it('accepts the issue’s example and stores it with the schema version', () => {
    const { document, errors } = validateRuleBody(VALID, RULE_META);
    expect(errors).toEqual([]);
    expect(document).toEqual({ schemaVersion: 1, ...VALID });
    expect(ruleNeedsAmocrm(document!)).toBe(true);
  });

  it('names the path of an unknown field, a wrong operator and a value that is no option', () => {
    const conditions = {
      all: [
        { field: 'lead.price', op: 'contains', value: '1' },
        {
          any: [
            { field: 'view.source', op: 'eq', value: 'x' },
            {
              all: [
                { field: 'lead.custom.103', op: 'eq', value: 9999 },
                { field: 'lead.custom.4242', op: 'empty' },
              ],
            },
          ],
        },
        { field: 'lead.price', op: 'gt', value: '100' },
        { field: 'lead.created_at', op: 'lt', value: '31.02.2026' },
        { field: 'lead.status', op: 'in', value: [11, 77] },
        { field: 'view.source', op: 'regex', value: '(a' },
        { field: 'lead.price', op: 'between', value: [5, 1] },
        { field: 'lead.price', op: 'empty', value: 1 },
        { field: 'old.lead.price', op: 'changed' },
        { field: 'lptracker.custom.901', op: 'eq', value: 'Нет такого' },
      ],
    };
    expect(fieldsOf(withConditions(conditions))).toEqual([
      'conditions.all[0].op operator_type',
      'conditions.all[1].any[1].all[0].value enum_option',
      'conditions.all[1].any[1].all[1].field unknown_field',
      'conditions.all[2].value type',
      'conditions.all[3].value type',
      'conditions.all[4].value[1] enum_option',
      'conditions.all[5].value pattern',
      'conditions.all[6].value range',
      'conditions.all[7].value unexpected',
      'conditions.all[8].op operator_type',
      'conditions.all[9].value enum_option',
    ]);
  });

  it('checks the ids of actions against the metadata', () => {
    expect(
      fieldsOf(
        withActions(
          { type: 'move_stage', system: 'amocrm', pipelineId: 3, statusId: 11 },
          { type: 'move_stage', system: 'amocrm', pipelineId: 2, statusId: 11 },
          { type: 'create_task', text: 'Позвонить', dueInHours: 2, responsibleUserId: 99 },
          { type: 'move_stage', system: 'lptracker', stageId: 63 },
          {
            type: 'find_or_create_lead',
            pipelineId: 1,
            statusId: 11,
            responsibleUserId: 7,
            nameTemplate: '{contact.name} {nope}',
            mappingProjectId: 78,
          },
          {
            type: 'update_lead',
            values: [
              { field: 'lead.custom.103', value: 1 },
              { field: 'lead.price', value: 'x' },
              { field: 'lead.status', value: 1 },
            ],
          },
          {
            type: 'update_lptracker_lead',
            stageId: 62,
            custom: [
              { fieldId: 901, value: 'Мелкий опт' },
              { fieldId: 5, value: 1 },
            ],
          },
        ),
      ),
    ).toEqual([
      'actions[0].pipelineId unknown_pipeline',
      'actions[1].statusId unknown_status',
      'actions[2].responsibleUserId unknown_user',
      'actions[3].stageId unknown_stage',
      'actions[4].mappingProjectId unknown_project',
      'actions[4].nameTemplate unknown_field',
      'actions[5].values[0].value enum_option',
      'actions[5].values[1].value type',
      'actions[5].values[2].field unknown_field',
      'actions[6].custom[0].value enum_option',
      'actions[6].custom[1].fieldId unknown_field',
    ]);
  });

  it('refuses prototype keys and unknown properties anywhere, naming them', () => {
    const body = JSON.parse(
      '{"name":"x","trigger":{"source":"api","events":["lead.created"],"__proto__":{"a":1}},' +
        '"conditions":{"all":[{"field":"lead.name","op":"eq","value":"a","constructor":1}]},' +
        '"actions":[{"type":"stop","prototype":1}],"extra":true}',
    ) as unknown;
    expect(fieldsOf(body)).toEqual([
      'extra unknown_property',
      'trigger.__proto__ forbidden_key',
      'conditions.all[0].constructor forbidden_key',
      'actions[0].prototype forbidden_key',
    ]);
  });

  it('caps depth (10 groups), conditions (100) and actions (50)', () => {
    let deep: unknown = { field: 'lead.name', op: 'empty' };
    for (let i = 0; i < 11; i += 1) deep = { all: [deep] };
    expect(fieldsOf(withConditions(deep))).toEqual([`conditions${'.all[0]'.repeat(10)} maxDepth`]);
    let ten: unknown = { field: 'lead.name', op: 'empty' };
    for (let i = 0; i < 10; i += 1) ten = { not: ten };
    expect(fieldsOf(withConditions(ten))).toEqual([]);
    const many = Array.from({ length: 101 }, () => ({ field: 'lead.name', op: 'empty' }));
    expect(fieldsOf(withConditions({ any: many }))).toEqual(['conditions.any maxItems']);
    expect(fieldsOf(withConditions({ all: [{ any: many.slice(50) }, { any: many.slice(50) }] }))).toEqual([
      'conditions maxItems',
    ]);
    expect(fieldsOf(withConditions({ any: many.slice(1) }))).toEqual([]);
    expect(fieldsOf(withActions(...Array.from({ length: 51 }, () => ({ type: 'stop' }))))).toEqual([
      'actions maxItems',
    ]);
  });

  it('checks the shape: types, required parts, trigger names, sizes', () => {
    expect(fieldsOf({})).toEqual(['name type', 'trigger type', 'actions type']);
    expect(
      fieldsOf({
        ...VALID,
        name: ' ',
        enabled: 'yes',
        priority: -1,
        trigger: {
          source: 'telegram',
          events: ['lead.created', 'lead.exploded'],
          changedFields: ['lead.nope'],
        },
        actions: [
          { type: 'launch' },
          { type: 'add_tags', tags: [] },
          { type: 'create_task', text: 'x', dueInHours: 0 },
        ],
      }),
    ).toEqual([
      'name required',
      'enabled type',
      'priority type',
      'trigger.source enum',
      'trigger.events[1] enum',
      'actions[0].type enum',
      'actions[1].tags required',
      'actions[2].dueInHours type',
    ]);
    expect(fieldsOf({ ...VALID, trigger: { ...VALID.trigger, changedFields: ['lead.nope'] } })).toEqual([
      'trigger.changedFields[0] unknown_field',
    ]);
    expect(fieldsOf(withConditions({ field: 'lead.name', op: 'eq', value: 'x'.repeat(1001) }))).toEqual([
      'conditions.value maxLength',
    ]);
  });

  it('prefixes every path for an import', () => {
    const errors = validateRuleBody(
      withConditions({ any: [{ field: 'lead.nope', op: 'eq', value: 1 }] }),
      RULE_META,
      'rules[2]',
    ).errors;
    expect(errors.map((e) => e.field)).toEqual(['rules[2].conditions.any[0].field']);
  });

  it('needs no amoCRM metadata for a rule on LPTracker and contact fields only', () => {
    const body = {
      ...VALID,
      conditions: { field: 'lptracker.stage', op: 'changed_to', value: 62 },
      actions: [{ type: 'update_lptracker_lead', stageId: 61 }, { type: 'call_back' }],
    };
    const { document, errors } = validateRuleBody(body, { amocrm: null, lptracker: RULE_META.lptracker });
    expect(errors).toEqual([]);
    expect(ruleNeedsAmocrm(document!)).toBe(false);
    expect(fieldsOf({ ...body, conditions: { field: 'lead.status', op: 'eq', value: 1 } })).toEqual([
      'conditions.value enum_option',
    ]);
  });
});
