import { RE2JS, RE2JSException } from 're2js';
import { RULE_LIMITS } from './rule.types';

/**
 * Patterns of `regex` conditions run on RE2JS (a pure-JS port of RE2): matching time is linear in the input, so
 * a catastrophic pattern such as `(a+)+$` cannot stall a worker the way JavaScript's backtracking RegExp would.
 * RE2 syntax (no backreferences or lookarounds); `(?i)` makes a pattern ignore case. Patterns are length-capped,
 * inputs are cut to `RULE_LIMITS.inputLength` characters.
 */
export interface LinearPattern {
  /** Whether the pattern matches anywhere in the text (cut to the input cap first). */
  test(text: string): boolean;
  /** The same on UTF-8 bytes: what `test` runs (exposed so a test can count how much of the input is read). */
  testBytes(bytes: ArrayLike<number>): boolean;
}

export type PatternCheck = { ok: true; pattern: LinearPattern } | { ok: false; message: string };

const cache = new Map<string, LinearPattern>();
const CACHE_SIZE = 1000;

/** Compiles a pattern (cached), or says why it cannot be used. */
export function compileLinearPattern(source: string): PatternCheck {
  if (source.length > RULE_LIMITS.patternLength)
    return { ok: false, message: `the pattern is longer than ${RULE_LIMITS.patternLength} characters` };
  const cached = cache.get(source);
  if (cached) return { ok: true, pattern: cached };
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    const reason = error instanceof RE2JSException ? error.message : 'it does not compile';
    return { ok: false, message: `the pattern is not a valid RE2 expression: ${reason}` };
  }
  const pattern: LinearPattern = {
    testBytes: (bytes) => compiled.test(bytes as number[]),
    test: (text) => pattern.testBytes(Buffer.from(text.slice(0, RULE_LIMITS.inputLength), 'utf8')),
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(source, pattern);
  return { ok: true, pattern };
}
