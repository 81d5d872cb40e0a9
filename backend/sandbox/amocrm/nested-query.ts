/**
 * Parses PHP-style query strings (`filter[statuses][0][status_id]=1`, `filter[id][]=2`) into a
 * tree of null-prototype objects. Prototype keys are dropped and the depth is capped.
 */

export type QueryValue = string | QueryObject;
export interface QueryObject {
  [key: string]: QueryValue | undefined;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 6;

export function parseNestedQuery(params: URLSearchParams): QueryObject {
  const root = emptyObject();
  for (const [rawKey, value] of params) {
    const path = splitBracketKey(rawKey);
    if (!path || path.length > MAX_DEPTH || path.some((part) => FORBIDDEN_KEYS.has(part))) continue;
    assign(root, path, value);
  }
  return root;
}

function emptyObject(): QueryObject {
  return Object.create(null) as QueryObject;
}

function splitBracketKey(key: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return undefined;
  const nested = [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1]);
  return [match[1], ...nested];
}

function assign(target: QueryObject, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i += 1) {
    const key = path[i] === '' ? String(Object.keys(node).length) : path[i];
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next === 'object') {
      node = next;
    } else {
      const created = emptyObject();
      node[key] = created;
      node = created;
    }
  }
}

/** A scalar parameter (the last one wins for plain keys). */
export function queryText(value: QueryValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function queryObject(value: QueryValue | undefined): QueryObject | undefined {
  return typeof value === 'object' ? value : undefined;
}

/** Every scalar under a parameter: `a=1,2`, `a[]=1&a[]=2` and `a[0]=1` all give a list. */
export function queryList(value: QueryValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  return Object.values(value).flatMap((item) => queryList(item));
}

/** Every scalar under a parameter, without splitting on commas (for free-text values). */
export function queryStrings(value: QueryValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap((item) => queryStrings(item));
}
