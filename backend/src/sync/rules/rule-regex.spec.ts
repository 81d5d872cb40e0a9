import { evaluateConditions } from './rule-evaluate';
import { compileLinearPattern, type LinearPattern } from './rule-regex';
import { RULE_LIMITS } from './rule.types';

/** UTF-8 bytes of `text` that count how many times the matcher reads a byte. */
function countingBytes(text: string): { bytes: number[]; reads: () => number } {
  let reads = 0;
  const bytes = new Proxy(Array.from(Buffer.from(text, 'utf8')), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { bytes, reads: () => reads };
}

const compiled = (source: string): LinearPattern => {
  const check = compileLinearPattern(source);
  if (!check.ok) throw new Error(check.message);
  return check.pattern;
};

describe('regex conditions run in linear time', () => {
  it('reads a catastrophic pattern’s input a bounded number of times per byte (no backtracking)', () => {
    const pattern = compiled('(a+)+$');
    const reads = [1_000, 50_000].map((n) => {
      const input = countingBytes(`${'a'.repeat(n)}!`);
      expect(pattern.testBytes(input.bytes)).toBe(false);
      return input.reads() / (n + 1);
    });
    // a backtracking engine reads the input exponentially often; this one a constant few times per byte
    expect(reads[0]).toBeLessThanOrEqual(3);
    expect(reads[1]).toBeLessThanOrEqual(3);
    expect(pattern.test('aaaa')).toBe(true);
  });

  it('answers catastrophic patterns on 50k-character values through the evaluator', () => {
    const result = evaluateConditions(
      {
        any: [
          { field: 'lead.name', op: 'regex', value: '(x+x+)+y' },
          { field: 'view.source', op: 'regex', value: '(a+)+$' },
        ],
      },
      {
        source: 'api',
        event: 'lead.created',
        values: { 'lead.name': 'x'.repeat(50_000), 'view.source': `${'a'.repeat(50_000)}!` },
        old: null,
        changedFields: null,
      },
      () => 'string',
    );
    // the second value is cut to the input cap (20,000 characters), so its "!" is never read and it matches
    expect(result.conditions.map((c) => c.matched)).toEqual([false, true]);
  });

  it('caps the pattern length and the input length', () => {
    expect(compileLinearPattern('a'.repeat(RULE_LIMITS.patternLength + 1))).toEqual({
      ok: false,
      message: `the pattern is longer than ${RULE_LIMITS.patternLength} characters`,
    });
    const tail = compiled('b$');
    expect(tail.test(`${'a'.repeat(RULE_LIMITS.inputLength - 1)}b`)).toBe(true);
    expect(tail.test(`${'a'.repeat(RULE_LIMITS.inputLength)}b`)).toBe(false); // the b is past the cap
  });

  it('refuses what RE2 cannot run in linear time (backreferences, lookarounds) and broken patterns', () => {
    for (const source of ['(a)\\1', '(?=a)b', '(a']) {
      const check = compileLinearPattern(source);
      expect(check.ok).toBe(false);
    }
  });
});
