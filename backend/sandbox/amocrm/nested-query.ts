import { FormParseError, parseNestedForm } from '../../src/http/nested-form';
import { httpProblem } from './problems';

/**
 * PHP-style query strings (`filter[statuses][0][status_id]=1`, `filter[id][]=2`) as a tree of null-prototype
 * objects, read by the service's own form parser (`src/http/nested-form.ts`) the way PHP reads them: groups stay
 * keyed objects (never arrays), a pair whose key is bad (prototype keys, malformed, deeper than 6) is dropped,
 * and a query over the parser's caps answers 400.
 */

export type QueryValue = string | QueryObject;
export interface QueryObject {
  [key: string]: QueryValue | undefined;
}

const MAX_DEPTH = 6;

export function parseNestedQuery(params: URLSearchParams): QueryObject {
  try {
    // with `arrays: false` no value is an array: the tree is strings and objects only
    return parseNestedForm(params.toString(), {
      arrays: false,
      skipBadKeys: true,
      maxDepth: MAX_DEPTH,
    }) as QueryObject;
  } catch (error) {
    if (error instanceof FormParseError) throw httpProblem(400, `Unreadable query: ${error.message}`);
    throw error;
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
