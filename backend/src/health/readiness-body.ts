import { PROBLEM_CONTENT_TYPE, problemType } from '../http/problem';
import type { Readiness } from './health.service';

/** The readiness answer, shared by the API's controller and the worker's health server. */
export function readinessBody(readiness: Readiness): { status: number; contentType: string; body: object } {
  if (readiness.ready) {
    return { status: 200, contentType: 'application/json', body: { status: 'ok', checks: readiness.checks } };
  }
  const down = Object.entries(readiness.checks)
    .filter(([, check]) => check.status === 'down')
    .map(([name, check]) => `${name} is down (${check.error ?? 'no answer'})`);
  return {
    status: 503,
    contentType: PROBLEM_CONTENT_TYPE,
    body: {
      type: problemType('not-ready'),
      title: 'Service Unavailable',
      status: 503,
      detail: down.join('; '),
      checks: readiness.checks,
    },
  };
}
