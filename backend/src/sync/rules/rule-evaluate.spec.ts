import { conditionsMatch, evaluateConditions, triggerMatches, type RuleEventContext } from './rule-evaluate';
import { resolveField } from './rule-fields';
import type { RuleCondition, RuleConditionNode } from './rule.types';
import { RULE_META } from './testing/rule-test-metadata';

const typeOf = (ref: string) => {
  const resolved = resolveField(ref, RULE_META);
  return resolved.ok ? resolved.type : null;
};

const ctx = (
  values: RuleEventContext['values'],
  extra: Partial<RuleEventContext> = {},
): RuleEventContext => ({
  source: 'lptracker',
  event: 'lead.updated',
  values,
  old: null,
  changedFields: null,
  ...extra,
});

const VALUES: RuleEventContext['values'] = {
  'lead.name': 'Кухня на заказ',
  'lead.price': 150000,
  'lead.tags': ['VIP', 'Сайт'],
  'lead.created_at': '2026-01-05T10:30:00Z',
  'lead.status': 12,
  'lead.custom.101': '2500',
  'lead.custom.102': '05.01.2026',
  'lead.custom.103': 1031,
  'lead.custom.104': [1041, 1042],
  'lead.custom.105': true,
  'contact.phone': ['+79165551234', '+74951234567'],
  'contact.email': [],
  'view.source': 'Yandex.Direct',
  'lptracker.custom.901': 'Опт',
};

/** The explained answer, checked against the cheap one (`conditionsMatch`) on the same event. */
const one = (condition: RuleConditionNode, values = VALUES, extra: Partial<RuleEventContext> = {}) => {
  const event = ctx(values, extra);
  const explained = evaluateConditions(condition, event, typeOf).matched;
  expect(conditionsMatch(condition, event, typeOf)).toBe(explained);
  return explained;
};

describe('rule conditions: every operator on every field type', () => {
  it.each<[string, RuleCondition, boolean]>([
    // text: trimmed, ignoring case
    ['string eq', { field: 'lead.name', op: 'eq', value: ' кухня НА заказ ' }, true],
    ['string neq', { field: 'lead.name', op: 'neq', value: 'Кухня' }, true],
    ['string contains', { field: 'view.source', op: 'contains', value: 'yandex' }, true],
    ['string not_contains', { field: 'view.source', op: 'not_contains', value: 'google' }, true],
    ['string starts_with', { field: 'lead.name', op: 'starts_with', value: 'кух' }, true],
    ['string ends_with', { field: 'lead.name', op: 'ends_with', value: 'заказ' }, true],
    ['string ends_with (no)', { field: 'lead.name', op: 'ends_with', value: 'кухня' }, false],
    ['string in', { field: 'view.source', op: 'in', value: ['google', 'yandex.direct'] }, true],
    ['string not_in', { field: 'view.source', op: 'not_in', value: ['google'] }, true],
    ['string empty', { field: 'view.campaign', op: 'empty' }, true],
    ['string not_empty', { field: 'view.source', op: 'not_empty' }, true],
    ['string regex', { field: 'view.source', op: 'regex', value: '^Yandex\\.(Direct|Market)$' }, true],
    ['string regex (case)', { field: 'view.source', op: 'regex', value: '^yandex' }, false],
    ['string regex (?i)', { field: 'view.source', op: 'regex', value: '(?i)^yandex' }, true],
    // numbers as numbers (a numeric text field read as a number: "2500" > 300, which as text it is not)
    ['number eq', { field: 'lead.price', op: 'eq', value: 150000 }, true],
    ['number neq', { field: 'lead.price', op: 'neq', value: 150000 }, false],
    ['number gt', { field: 'lead.price', op: 'gt', value: 100000 }, true],
    ['number gt (equal)', { field: 'lead.price', op: 'gt', value: 150000 }, false],
    ['number gte', { field: 'lead.price', op: 'gte', value: 150000 }, true],
    ['number lt', { field: 'lead.custom.101', op: 'lt', value: 300 }, false],
    ['number lte', { field: 'lead.custom.101', op: 'lte', value: 2500 }, true],
    ['number between', { field: 'lead.price', op: 'between', value: [100000, 150000] }, true],
    ['number between (out)', { field: 'lead.price', op: 'between', value: [1, 149999] }, false],
    ['number in', { field: 'lead.price', op: 'in', value: [1, 150000] }, true],
    ['number not_in', { field: 'lead.price', op: 'not_in', value: [1, 2] }, true],
    ['number empty', { field: 'lead.price', op: 'empty' }, false],
    ['number not_empty', { field: 'lead.price', op: 'not_empty' }, true],
    // dates as dates: a calendar day is the whole day, any form LPTracker writes
    ['date eq day', { field: 'lead.created_at', op: 'eq', value: '2026-01-05' }, true],
    ['date neq day', { field: 'lead.created_at', op: 'neq', value: '2026-01-06' }, true],
    ['date gt day', { field: 'lead.created_at', op: 'gt', value: '2026-01-04' }, true],
    ['date gt same day', { field: 'lead.created_at', op: 'gt', value: '2026-01-05' }, false],
    ['date gte', { field: 'lead.created_at', op: 'gte', value: '2026-01-05' }, true],
    ['date lt unix s', { field: 'lead.created_at', op: 'lt', value: 1767609000 }, false],
    ['date lte moment', { field: 'lead.created_at', op: 'lte', value: '2026-01-05T10:30:00Z' }, true],
    ['date between', { field: 'lead.custom.102', op: 'between', value: ['2026-01-01', '2026-01-05'] }, true],
    ['date empty', { field: 'lead.custom.102', op: 'empty' }, false],
    ['date not_empty', { field: 'lead.custom.102', op: 'not_empty' }, true],
    // booleans
    ['boolean eq', { field: 'lead.custom.105', op: 'eq', value: true }, true],
    ['boolean neq', { field: 'lead.custom.105', op: 'neq', value: true }, false],
    ['boolean empty', { field: 'lead.custom.105', op: 'empty' }, false],
    // enums by option id
    ['enum eq', { field: 'lead.custom.103', op: 'eq', value: 1031 }, true],
    ['enum neq', { field: 'lead.custom.103', op: 'neq', value: 1031 }, false],
    ['enum in', { field: 'lead.status', op: 'in', value: [11, 12] }, true],
    ['enum not_in', { field: 'lead.status', op: 'not_in', value: [11, 21] }, true],
    ['enum empty', { field: 'lead.pipeline', op: 'empty' }, true],
    ['enum not_empty', { field: 'lead.status', op: 'not_empty' }, true],
    ['lptracker option eq', { field: 'lptracker.custom.901', op: 'eq', value: 'Опт' }, true],
    // multiselect: contains an option, in (any of), not_in (none of)
    ['multi contains', { field: 'lead.custom.104', op: 'contains', value: 1042 }, true],
    ['multi not_contains', { field: 'lead.custom.104', op: 'not_contains', value: 1042 }, false],
    ['multi in', { field: 'lead.custom.104', op: 'in', value: [9, 1041] }, true],
    ['multi not_in', { field: 'lead.custom.104', op: 'not_in', value: [9] }, true],
    ['multi empty', { field: 'lead.custom.104', op: 'empty' }, false],
    ['multi not_empty', { field: 'lead.custom.104', op: 'not_empty' }, true],
    // lists: any element
    ['list eq', { field: 'contact.phone', op: 'eq', value: '+74951234567' }, true],
    ['list neq', { field: 'lead.tags', op: 'neq', value: 'vip' }, false],
    ['list contains', { field: 'lead.tags', op: 'contains', value: 'ip' }, true],
    ['list not_contains', { field: 'lead.tags', op: 'not_contains', value: 'opt' }, true],
    ['list starts_with', { field: 'contact.phone', op: 'starts_with', value: '+7495' }, true],
    ['list ends_with', { field: 'contact.phone', op: 'ends_with', value: '000' }, false],
    ['list in', { field: 'lead.tags', op: 'in', value: ['сайт'] }, true],
    ['list not_in', { field: 'lead.tags', op: 'not_in', value: ['vip'] }, false],
    ['list empty', { field: 'contact.email', op: 'empty' }, true],
    ['list not_empty', { field: 'contact.phone', op: 'not_empty' }, true],
    ['list regex', { field: 'contact.phone', op: 'regex', value: '^\\+7495' }, true],
  ])('%s', (_name, condition, expected) => {
    expect(one(condition)).toBe(expected);
  });

  it('changed, changed_to and changed_from read old and new values', () => {
    const old = { 'lead.status': 11, 'lead.price': 150000, 'lead.tags': ['сайт', 'vip'] };
    const extra = { old };
    expect(one({ field: 'lead.status', op: 'changed' }, VALUES, extra)).toBe(true);
    expect(one({ field: 'lead.price', op: 'changed' }, VALUES, extra)).toBe(false);
    expect(one({ field: 'lead.tags', op: 'changed' }, VALUES, extra)).toBe(false); // same tags, other order and case
    expect(one({ field: 'lead.status', op: 'changed_to', value: 12 }, VALUES, extra)).toBe(true);
    expect(one({ field: 'lead.status', op: 'changed_to', value: 11 }, VALUES, extra)).toBe(false);
    expect(one({ field: 'lead.status', op: 'changed_from', value: 11 }, VALUES, extra)).toBe(true);
    expect(one({ field: 'lead.status', op: 'changed_from', value: 12 }, VALUES, extra)).toBe(false);
    expect(one({ field: 'old.lead.status', op: 'eq', value: 11 }, VALUES, extra)).toBe(true);
    // without old values: what the source reported as changed (LPTracker action_update_fields)
    expect(one({ field: 'lead.price', op: 'changed' }, VALUES, { changedFields: ['lead.price'] })).toBe(true);
    expect(one({ field: 'lead.status', op: 'changed' })).toBe(false);
    const result = evaluateConditions(
      { field: 'lead.status', op: 'changed_from', value: 11 },
      ctx(VALUES, { changedFields: ['lead.status'] }),
      typeOf,
    );
    expect(result.conditions[0]).toMatchObject({ matched: false, note: 'the old value is not known' });
  });

  it('nested all / any / not groups, explained with the actual values', () => {
    const rule: RuleConditionNode = {
      all: [
        { field: 'lead.price', op: 'gt', value: 100000 },
        {
          any: [
            { field: 'view.source', op: 'contains', value: 'google' },
            { not: { field: 'contact.email', op: 'empty' } },
            { all: [{ field: 'lead.custom.103', op: 'eq', value: 1031 }, { not: { any: [] } }] },
          ],
        },
      ],
    };
    const result = evaluateConditions(rule, ctx(VALUES), typeOf);
    expect(result.matched).toBe(true);
    expect(one(rule)).toBe(true);
    expect(one({ not: rule })).toBe(false);
    expect(one({ any: [{ not: rule }, { field: 'lead.price', op: 'lt', value: 1 }] })).toBe(false);
    expect(result.conditions).toEqual([
      {
        path: 'conditions.all[0]',
        field: 'lead.price',
        op: 'gt',
        value: 100000,
        actual: 150000,
        matched: true,
      },
      {
        path: 'conditions.all[1].any[0]',
        field: 'view.source',
        op: 'contains',
        value: 'google',
        actual: 'Yandex.Direct',
        matched: false,
      },
      {
        path: 'conditions.all[1].any[1].not',
        field: 'contact.email',
        op: 'empty',
        actual: [],
        matched: true,
      },
      {
        path: 'conditions.all[1].any[2].all[0]',
        field: 'lead.custom.103',
        op: 'eq',
        value: 1031,
        actual: 1031,
        matched: true,
      },
    ]);
    expect(evaluateConditions({ not: rule }, ctx(VALUES), typeOf).matched).toBe(false);
    expect(evaluateConditions({ any: [] }, ctx(VALUES), typeOf).matched).toBe(false);
    expect(evaluateConditions({ all: [] }, ctx(VALUES), typeOf).matched).toBe(true);
  });

  it('keeps each field’s values apart when one event is read by many conditions and rules', () => {
    const shared = ctx(VALUES, { old: { 'view.source': 'Google' } });
    const node: RuleConditionNode = {
      all: [
        { field: 'view.source', op: 'contains', value: 'yandex' },
        { field: 'lead.name', op: 'starts_with', value: 'кухня' },
        { field: 'contact.phone', op: 'ends_with', value: '4567' },
        { field: 'old.view.source', op: 'eq', value: 'google' },
        { field: 'lead.tags', op: 'not_in', value: ['opt'] },
      ],
    };
    expect(evaluateConditions(node, shared, typeOf).conditions.map((c) => c.matched)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      evaluateConditions({ field: 'old.view.source', op: 'contains', value: 'yandex' }, shared, typeOf)
        .matched,
    ).toBe(false);
  });

  it('a field no longer known never matches and says why', () => {
    const result = evaluateConditions({ field: 'lead.custom.999', op: 'empty' }, ctx(VALUES), typeOf);
    expect(result).toEqual({
      matched: false,
      conditions: [
        expect.objectContaining({ matched: false, note: 'lead.custom.999 is no longer a known field' }),
      ],
    });
  });

  it('a trigger fires on its source and event, and only when a watched field changed', () => {
    const trigger = {
      source: 'lptracker' as const,
      events: ['lead.updated' as const],
      changedFields: ['lead.price'],
    };
    expect(triggerMatches(trigger, ctx(VALUES, { changedFields: ['lead.price'] }), typeOf)).toBe(true);
    expect(triggerMatches(trigger, ctx(VALUES, { changedFields: ['lead.name'] }), typeOf)).toBe(false);
    expect(
      triggerMatches(trigger, ctx(VALUES, { source: 'amocrm', changedFields: ['lead.price'] }), typeOf),
    ).toBe(false);
    expect(triggerMatches({ ...trigger, changedFields: [] }, ctx(VALUES), typeOf)).toBe(true);
    expect(triggerMatches(trigger, ctx(VALUES, { event: 'lead.created' }), typeOf)).toBe(false);
  });
});
