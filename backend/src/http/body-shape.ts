/**
 * Bounds on the shape of a parsed request body, checked before the validation pipe walks it: class-transformer
 * and class-validator recurse once per level, so a deeply nested body would overflow the stack (a 500 per
 * request), and a body with a huge number of keys costs CPU out of proportion to its size.
 */
export const BODY_MAX_DEPTH = 32;
/** Keys of one object (array elements count as keys). */
export const BODY_MAX_KEYS_PER_OBJECT = 1_000;
/** Keys and array elements of the whole body. */
export const BODY_MAX_TOTAL_KEYS = 50_000;

export type BodyShapeViolation =
  | { kind: 'too-deep'; limit: number }
  | { kind: 'too-many-keys'; limit: number }
  | { kind: 'object-too-large'; limit: number };

/** The first bound the value breaks, or null. Iterative: safe on any depth. */
export function checkBodyShape(body: unknown): BodyShapeViolation | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  let total = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= BODY_MAX_DEPTH) return { kind: 'too-deep', limit: BODY_MAX_DEPTH };
    const children: unknown[] = Array.isArray(value)
      ? value
      : Object.values(value as Record<string, unknown>);
    if (children.length > BODY_MAX_KEYS_PER_OBJECT)
      return { kind: 'object-too-large', limit: BODY_MAX_KEYS_PER_OBJECT };
    total += children.length;
    if (total > BODY_MAX_TOTAL_KEYS) return { kind: 'too-many-keys', limit: BODY_MAX_TOTAL_KEYS };
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}

export function describeBodyShapeViolation(violation: BodyShapeViolation): string {
  switch (violation.kind) {
    case 'too-deep':
      return `The request body is nested deeper than ${violation.limit} levels.`;
    case 'object-too-large':
      return `An object or array in the request body has more than ${violation.limit} entries.`;
    case 'too-many-keys':
      return `The request body has more than ${violation.limit} keys and array entries in all.`;
  }
}
