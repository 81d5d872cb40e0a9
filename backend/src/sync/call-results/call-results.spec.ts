import { resolveField } from '../rules/rule-fields';
import { conditionsMatch, triggerMatches, type FieldTypeOf } from '../rules/rule-evaluate';
import type { RuleConditionNode } from '../rules/rule.types';
import { naturalKeyOf, prepareCallRow } from './call-result-input';
import type { CallResultInput } from './call-result.types';
import { callRuleContext } from './call-rule-context';

const row = (over: Partial<CallResultInput> = {}): CallResultInput => ({
  phone: '8 (916) 123-45-67',
  startedAt: '2026-12-01T09:30:00Z',
  durationSeconds: 74,
  direction: 'in',
  result: 'answered',
  ...over,
});

describe('call result rows', () => {
  it('normalises the phone to E.164, trims texts and keys a row without source id by phone, start, operator', () => {
    const prepared = prepareCallRow(
      row({ operator: ' Анна ', recordingUrl: ' https://r.example/1.mp3 ' }),
      'RU',
    );
    expect(prepared).toEqual({
      ok: true,
      row: expect.objectContaining({
        phone: '+79161234567',
        startedAt: new Date('2026-12-01T09:30:00Z'),
        operator: 'Анна',
        recordingUrl: 'https://r.example/1.mp3',
        sourceId: null,
        naturalKey: naturalKeyOf('+79161234567', new Date('2026-12-01T09:30:00Z'), 'Анна'),
      }),
    });
    const other = naturalKeyOf('+79161234567', new Date('2026-12-01T09:30:00Z'), 'Борис');
    expect(prepared.ok && prepared.row.naturalKey).not.toBe(other);
  });

  it('keys a row with a source id by it alone and lets it come without a phone', () => {
    const prepared = prepareCallRow(row({ phone: null, sourceId: 'c-1' }), 'RU');
    expect(prepared).toMatchObject({ ok: true, row: { phone: null, sourceId: 'c-1', naturalKey: null } });
  });

  it.each([
    [{ phone: null }, 'phone'],
    [{ phone: '12' }, 'phone'],
    [{ startedAt: 'вчера' }, 'startedAt'],
    [{ startedAt: '1999-12-31T00:00:00Z' }, 'startedAt'],
    [{ startedAt: new Date(Date.now() + 3 * 86_400_000) }, 'startedAt'],
    [{ durationSeconds: -1 }, 'durationSeconds'],
    [{ durationSeconds: 1.5 }, 'durationSeconds'],
    [{ durationSeconds: 86_401 }, 'durationSeconds'],
    [{ direction: 'sideways' as never }, 'direction'],
    [{ result: 'great' as never }, 'result'],
    [{ recordingUrl: 'javascript:alert(1)' }, 'recordingUrl'],
    [{ operator: 'x'.repeat(129) }, 'operator'],
    [{ sourceId: 'x'.repeat(129) }, 'sourceId'],
    [{ lptrackerLeadId: 0 }, 'lptrackerLeadId'],
  ])('refuses %j naming %s', (over, field) => {
    expect(prepareCallRow(row(over), 'RU')).toMatchObject({ ok: false, field });
  });
});

describe('the rules view of a call', () => {
  const typeOf: FieldTypeOf = (ref) => {
    const resolved = resolveField(ref, { amocrm: null, lptracker: [] });
    return resolved.ok ? resolved.type : null;
  };
  const threeMissed: RuleConditionNode = {
    all: [
      { field: 'call.result', op: 'in', value: ['missed', 'busy', 'failed'] },
      { field: 'call.missedCount', op: 'gte', value: 3 },
    ],
  };
  const call = {
    result: 'missed' as const,
    durationSeconds: 0,
    direction: 'out' as const,
    operator: 'Анна',
    phone: '+79161234567',
    source: 'api' as const,
  };

  it('fires call.finished of its source, and "three unanswered calls" only from the third one', () => {
    const trigger = { source: 'api' as const, events: ['call.finished' as const], changedFields: [] };
    expect(triggerMatches(trigger, callRuleContext(call, 3), typeOf)).toBe(true);
    expect(triggerMatches({ ...trigger, source: 'lptracker' }, callRuleContext(call, 3), typeOf)).toBe(false);
    expect(conditionsMatch(threeMissed, callRuleContext(call, 2), typeOf)).toBe(false);
    expect(conditionsMatch(threeMissed, callRuleContext(call, 3), typeOf)).toBe(true);
    const answered = callRuleContext({ ...call, result: 'answered' }, 3);
    expect(conditionsMatch(threeMissed, answered, typeOf)).toBe(false);
    expect(
      conditionsMatch({ field: 'call.operator', op: 'eq', value: 'Анна' }, callRuleContext(call, 0), typeOf),
    ).toBe(true);
  });

  it('has typed fields rules accept (enums with their options), and no old values', () => {
    expect(resolveField('call.result', { amocrm: null, lptracker: [] })).toMatchObject({
      ok: true,
      type: 'enum',
      options: ['answered', 'missed', 'busy', 'failed'],
    });
    expect(typeOf('call.direction')).toBe('enum');
    expect(typeOf('call.duration')).toBe('number');
    expect(typeOf('old.call.result')).toBeNull();
  });
});
