import { HttpNetworkError, type HttpAnswer, type HttpCall } from '../../http-client/http-exchange';
import type { SendLimiter } from '../../redis/rate-limiter';
import {
  LptrackerApiError,
  LptrackerCallbackNotRetriedError,
  LptrackerUnavailableError,
} from '../lptracker.problems';
import { LptrackerTransport, type LptrackerCall } from './lptracker-transport';

type Step = HttpAnswer | HttpNetworkError;

const envelope = (body: unknown, status = 200): HttpAnswer => ({
  status,
  headers: {},
  text: JSON.stringify(body),
});
const success = (result: unknown): HttpAnswer => envelope({ status: 'success', result });
const lpError = (code: number, status = 200): HttpAnswer =>
  envelope({ status: 'error', errors: [{ code, message: `error ${code}` }] }, status);

/** A transport over scripted answers, with a limiter that always grants and records penalties. */
function scripted(steps: Step[]) {
  const sent: HttpCall[] = [];
  const penalties: number[] = [];
  const limiter: SendLimiter = {
    acquire: () => Promise.resolve({ slot: 's', waitedMs: 0, queuedAt: Date.now() }),
    markSent: () => Promise.resolve(),
    penalize: (_key, ms) => {
      penalties.push(ms);
      return Promise.resolve();
    },
  };
  const log = { debug: () => undefined, warn: () => undefined };
  const transport = new LptrackerTransport(limiter, log, {
    backoff: { baseMs: 1, maxMs: 2 },
    send: (call) => {
      sent.push(call);
      const step = steps.shift();
      if (!step) throw new Error('no more scripted answers');
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
  });
  return { transport, sent, penalties };
}

const call = (over: Partial<LptrackerCall> = {}): LptrackerCall => ({
  accountKey: 'login-key',
  lane: 'interactive',
  method: 'GET',
  url: 'http://lp.test/projects',
  token: () => 'the-token',
  ...over,
});

describe('LPTracker transport', () => {
  it('sends the token in a header literally named `token` and answers the envelope’s result', async () => {
    const { transport, sent } = scripted([success([{ id: 1 }])]);
    await expect(transport.call(call())).resolves.toEqual({ kind: 'ok', result: [{ id: 1 }] });
    expect(sent[0].headers.token).toBe('the-token');
    expect(sent[0].headers.Authorization).toBeUndefined();
  });

  it('throws an error envelope that came with HTTP 200 (never a success), without retrying it', async () => {
    const { transport, sent } = scripted([lpError(404), success([])]);
    await expect(transport.call(call())).rejects.toBeInstanceOf(LptrackerApiError);
    expect(sent).toHaveLength(1);
  });

  it('backs off after error 503 (in the JSON, or as HTTP 503), holds the login back, then succeeds', async () => {
    const { transport, sent, penalties } = scripted([lpError(503), lpError(503, 503), success({ ok: 1 })]);
    await expect(transport.call(call())).resolves.toEqual({ kind: 'ok', result: { ok: 1 } });
    expect(sent).toHaveLength(3);
    expect(penalties).toHaveLength(2);
  });

  it('gives up after the lane’s attempts with a 503 that says LPTracker is unavailable', async () => {
    const { transport, sent } = scripted(Array.from({ length: 10 }, () => lpError(503)));
    await expect(transport.call(call())).rejects.toBeInstanceOf(LptrackerUnavailableError);
    expect(sent).toHaveLength(4); // interactive lane: 4 attempts
  });

  it('hands a refused token (401 in HTTP 200) back to the caller, who logs in again', async () => {
    const { transport } = scripted([lpError(401)]);
    await expect(transport.call(call())).resolves.toEqual({ kind: 'unauthorized', message: 'error 401' });
  });

  it('never repeats a request carrying callback: true — not after a 503, not after a lost answer', async () => {
    const lead = { name: 'Lead', callback: true };
    const rate = scripted([lpError(503), success({ id: 1 })]);
    const refused = await rate.transport
      .call(call({ method: 'POST', url: 'http://lp.test/lead', body: lead }))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LptrackerCallbackNotRetriedError);
    expect(rate.sent).toHaveLength(1);

    const lost = scripted([new HttpNetworkError('timeout', true, 'no answer'), success({ id: 1 })]);
    const timeout = await lost.transport
      .call(call({ method: 'POST', url: 'http://lp.test/lead', body: lead }))
      .catch((error: unknown) => error);
    expect(timeout).toBeInstanceOf(LptrackerCallbackNotRetriedError);
    expect((timeout as LptrackerCallbackNotRetriedError).sent).toBe(true);
    expect(lost.sent).toHaveLength(1);

    // the same request without a call is retried
    const plain = scripted([lpError(503), success({ id: 1 })]);
    await plain.transport.call(call({ method: 'POST', body: { name: 'Lead', callback: false } }));
    expect(plain.sent).toHaveLength(2);
  });

  it('repeats a read after a lost answer, but not a create that may have arrived', async () => {
    const read = scripted([new HttpNetworkError('connection', true, 'ECONNRESET'), success([])]);
    await expect(read.transport.call(call())).resolves.toEqual({ kind: 'ok', result: [] });
    expect(read.sent).toHaveLength(2);

    const write = scripted([new HttpNetworkError('timeout', true, 'no answer'), success({ id: 1 })]);
    const error = await write.transport
      .call(call({ method: 'POST', body: { name: 'Lead', callback: false } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LptrackerUnavailableError);
    expect((error as LptrackerUnavailableError).outcomeUnknown).toBe(true);
    expect(write.sent).toHaveLength(1);
  });
});
