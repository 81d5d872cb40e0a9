/**
 * LPTracker's answers, read the way the service really behaves: `{status:"success", result}` or
 * `{status:"error", errors:[{code, message}]}` — the error usually with HTTP 200, so the envelope decides, not the
 * HTTP status. `errors[0]` may be a bare string; some list calls answer a bare array. Rate refusals come as error
 * code 503 in the JSON and/or as HTTP 503.
 */

export type LptrackerOutcome =
  | { kind: 'ok'; result: unknown }
  /** Error code 401: the token is unknown or expired (log in again once, then retry once). */
  | { kind: 'unauthorized'; message: string }
  /** Error code 503 or HTTP 503: too many requests (back off, then retry). */
  | { kind: 'rate_limited'; message: string }
  /** HTTP 5xx other than 503, or an answer that is not LPTracker's (HTML error page…): the service is down. */
  | { kind: 'unavailable'; message: string }
  /** Any other error envelope: the request was refused. */
  | { kind: 'refused'; code: number | null; message: string };

const MAX_MESSAGE = 300;

/** Classifies one HTTP answer of LPTracker. */
export function readLptrackerAnswer(httpStatus: number, text: string): LptrackerOutcome {
  const body = parseJson(text);
  if (isRecord(body) && body.status === 'error') return classifyError(firstError(body.errors), httpStatus);
  if (httpStatus === 503) return { kind: 'rate_limited', message: 'HTTP 503' };
  if (httpStatus === 401) return { kind: 'unauthorized', message: 'HTTP 401' };
  if (httpStatus >= 500) return { kind: 'unavailable', message: `HTTP ${httpStatus}` };
  if (Array.isArray(body)) return { kind: 'ok', result: body };
  if (isRecord(body) && body.status === 'success') return { kind: 'ok', result: body.result ?? null };
  // neither envelope nor array: an object without `status` is taken as the result (like the bare arrays)
  if (httpStatus >= 200 && httpStatus < 300 && isRecord(body) && body.status === undefined)
    return { kind: 'ok', result: body };
  if (body === undefined)
    return {
      kind: 'unavailable',
      message: `HTTP ${httpStatus} with ${text.trim() === '' ? 'an empty answer' : 'an answer that is not JSON'}`,
    };
  return { kind: 'refused', code: httpStatus >= 400 ? httpStatus : null, message: 'an unexpected answer' };
}

interface ErrorItem {
  code: number | null;
  message: string;
}

/** `errors[0]`: `{code, message}`, a bare string (`"401"`, `"Token is invalid"`), or missing. */
export function firstError(errors: unknown): ErrorItem {
  const first: unknown = Array.isArray(errors) ? errors[0] : errors;
  if (typeof first === 'string') return { code: codeOf(first), message: clip(first) };
  if (typeof first === 'number') return { code: codeOf(first), message: String(first) };
  if (isRecord(first)) {
    const message = typeof first.message === 'string' ? first.message : '';
    const code = codeOf(first.code) ?? codeOf(message);
    return { code, message: clip(message || (code === null ? 'no details' : `error ${code}`)) };
  }
  return { code: null, message: 'no details' };
}

function classifyError(error: ErrorItem, httpStatus: number): LptrackerOutcome {
  const code = error.code ?? (httpStatus >= 400 ? httpStatus : null);
  if (code === 401) return { kind: 'unauthorized', message: error.message };
  if (code === 503 || httpStatus === 503) return { kind: 'rate_limited', message: error.message };
  return { kind: 'refused', code, message: error.message };
}

/** A code given as a number or as digits (alone, or leading a bare-string error such as `"401 Unauthorized"`). */
function codeOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const match = /^\s*(\d{3})\b/.exec(value);
    if (match) return Number(match[1]);
  }
  return null;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** Whether a request body asks LPTracker to place a phone call (such a request is never repeated). */
export function placesPhoneCall(body: unknown): boolean {
  return isRecord(body) && (body.callback === true || body.callback === 1 || body.callback === 'true');
}
