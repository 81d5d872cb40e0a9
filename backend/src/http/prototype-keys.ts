/**
 * Keys that would reach an object's prototype when copied (`__proto__`) or shadow what every object has
 * (`constructor`, `prototype`). Every body, query and file header that becomes an object is checked against these:
 * the one list, used by the request interceptor below and by the parsers of webhooks, mappings, rules and imports.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * The first prototype-like key in a parsed JSON value with the dotted path of the object holding it (`''` for the
 * top level), or null. Iterative, so a deep value cannot overflow the stack; the path is spelled only for a hit
 * (this runs on every webhook body and backtested event, where there is none).
 */
export function prototypeKeyPath(value: unknown): { parent: string; key: string } | null {
  const stack: Visit[] = [{ value, key: '', parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (current === null || typeof current !== 'object') continue;
    const keys = Object.keys(current);
    for (const key of keys) if (isPrototypeKey(key)) return { parent: pathOf(visit), key };
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      const child = (current as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push({ value: child, key, parent: visit });
    }
  }
  return null;
}
