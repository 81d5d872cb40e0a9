/**
 * Keys that would reach an object's prototype when copied (`__proto__`) or shadow what every object has
 * (`constructor`, `prototype`). Every body, query and file header that becomes an object is checked against these:
 * the one list, used by the request interceptor below and by the parsers of webhooks, mappings, rules and imports.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/**
 * The first prototype-like key in a parsed JSON value with the dotted path of the object holding it (`''` for the
 * top level), or null. Iterative, so a deep value cannot overflow the stack.
 */
export function prototypeKeyPath(value: unknown): { parent: string; key: string } | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const entries: [string, unknown][] = Object.entries(current as Record<string, unknown>);
    for (const [key] of entries) if (isPrototypeKey(key)) return { parent: path, key };
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index];
      stack.push({ value: child, path: path ? `${path}.${key}` : key });
    }
  }
  return null;
}
