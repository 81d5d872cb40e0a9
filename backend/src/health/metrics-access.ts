import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why a /metrics request is refused, as problem fields; null when it may be served. */
export interface MetricsRefusal {
  status: 401 | 403;
  type: string;
  detail: string;
  headers: Record<string, string>;
}

/** Headers a proxy adds: a request carrying one came through a proxy, so its loopback address says nothing. */
const PROXY_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto'];

/**
 * /metrics is not public. With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>` (401
 * otherwise: credentials can fix it). Without it, only a direct caller on the same machine is served (a
 * loopback socket and no proxy header, so nginx on the same host cannot relay outsiders): 403 otherwise,
 * since no credential would help. The socket address is used, never X-Forwarded-For.
 */
export function metricsRefusal(req: IncomingMessage, token: string | undefined): MetricsRefusal | null {
  if (token) {
    if (bearerMatches(req.headers.authorization, token)) return null;
    return {
      status: 401,
      type: 'metrics-token-required',
      detail: 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.',
      headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
    };
  }
  if (isLoopback(req.socket.remoteAddress) && !PROXY_HEADERS.some((name) => req.headers[name] !== undefined))
    return null;
  return {
    status: 403,
    type: 'metrics-local-only',
    detail:
      'Metrics are served only to callers on this machine; set METRICS_TOKEN to let Prometheus scrape them.',
    headers: {},
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!match) return false;
  // compare digests: equal length, constant time, and the token's length is not revealed
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}
