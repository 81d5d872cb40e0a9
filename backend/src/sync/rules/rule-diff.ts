/** One difference between two rule versions: the path inside the document and the values on either side. */
export interface RuleChange {
  path: string;
  /** Absent when the path did not exist before (added) or after (removed). */
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The differences between two JSON documents, by path (`conditions.all[1].any[0].value`, `actions[2]`), in
 * document order. Pure; both sides are plain JSON (a stored rule version).
 */
export function diffDocuments(before: unknown, after: unknown, path = ''): RuleChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: RuleChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      const at = `${path}[${i}]`;
      if (i >= before.length) changes.push({ path: at, after: after[i] });
      else if (i >= after.length) changes.push({ path: at, before: before[i] });
      else changes.push(...diffDocuments(before[i], after[i], at));
    }
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const at = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(before, key)) return [{ path: at, after: after[key] }];
      if (!Object.hasOwn(after, key)) return [{ path: at, before: before[key] }];
      return diffDocuments(before[key], after[key], at);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '$', before, after }];
}
