/**
 * A tiny path router. Pattern segments: `literal`, `:name` (any one segment) and `#name`
 * (digits only, so `/leads/#id` never shadows `/leads/pipelines`).
 */

export type RouteParams = Record<string, string>;

export type RouteLookup<H> =
  | { kind: 'found'; handler: H; params: RouteParams }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export function splitPath(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

export class RouteTable<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: splitPath(pattern) ?? [], handler });
    return this;
  }

  lookup(method: string, path: string): RouteLookup<H> {
    const segments = splitPath(path);
    if (!segments) return { kind: 'not-found' };
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], actual: string[]): RouteParams | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i];
    const value = actual[i];
    if (expected.startsWith(':')) {
      params[expected.slice(1)] = value;
    } else if (expected.startsWith('#')) {
      if (!/^\d{1,15}$/.test(value)) return undefined;
      params[expected.slice(1)] = value;
    } else if (expected !== value) {
      return undefined;
    }
  }
  return params;
}
