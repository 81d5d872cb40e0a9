import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmocrmUnavailableError } from '../amocrm.problems';
import type { AmocrmRateLimiter } from './amocrm-rate-limiter';
import { AmocrmTransport, type TransportCall } from './amocrm-transport';

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A loopback "amoCRM" answering each request with the next reply (the last one repeats). */
async function fakeAmocrm(replies: Reply[]) {
  const seen: { method: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method ?? '', authorization: req.headers.authorization });
      replies[Math.min(seen.length, replies.length) - 1](req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v4/contacts`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const answer =
  (status: number, body = '{}'): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req-${status}` });
    res.end(body);
  };
/** Closes the connection after the whole request arrived, without answering. */
const hangUp: Reply = (req) => req.socket.destroy();

/** Every slot granted at once; what the limiter was told is recorded. */
function freeLimiter() {
  const penalties: number[] = [];
  const limiter = {
    acquire: () => Promise.resolve({ slot: 's', waitedMs: 0, queuedAt: Date.now() }),
    markSent: () => Promise.resolve(),
    penalize: (_account: string, ms: number) => {
      penalties.push(ms);
      return Promise.resolve();
    },
  };
  return { limiter: limiter as unknown as AmocrmRateLimiter, penalties };
}

const quiet = { debug: () => undefined, warn: () => undefined };
const fast = {
  backoff: { baseMs: 1, maxMs: 5 },
  lanePolicies: {
    interactive: { maxAttempts: 3, budgetMs: 10_000, timeoutMs: 5_000 },
    sync: { maxAttempts: 3, budgetMs: 10_000, timeoutMs: 5_000 },
    import: { maxAttempts: 3, budgetMs: 10_000, timeoutMs: 5_000 },
  },
};

function call(url: string, method: TransportCall['method'], token = 'token-1'): TransportCall {
  return {
    accountKey: 'acct',
    lane: 'interactive',
    method,
    url,
    body: method === 'GET' ? undefined : [{ name: 'x' }],
    beforeSend: () => Promise.resolve(token),
  };
}

describe('AmocrmTransport', () => {
  it('retries a 5xx and a 429 (slowing the account down), then hands back the answer', async () => {
    const amo = await fakeAmocrm([answer(503), answer(429), answer(200, '{"ok":true}')]);
    const { limiter, penalties } = freeLimiter();
    try {
      const result = await new AmocrmTransport(limiter, quiet, fast).send(call(amo.url, 'GET'));
      expect(result).toMatchObject({
        status: 200,
        text: '{"ok":true}',
        attempts: 3,
        amocrmRequestId: 'req-200',
      });
      expect(penalties).toEqual([1000]);
      expect(amo.seen.every((request) => request.authorization === 'Bearer token-1')).toBe(true);
    } finally {
      await amo.close();
    }
  });

  it('hands back a 4xx at once, without retrying', async () => {
    const amo = await fakeAmocrm([answer(400, '{"title":"Bad Request"}')]);
    try {
      const result = await new AmocrmTransport(freeLimiter().limiter, quiet, fast).send(
        call(amo.url, 'POST'),
      );
      expect(result.status).toBe(400);
      expect(amo.seen).toHaveLength(1);
    } finally {
      await amo.close();
    }
  });

  it("gives up after the lane's attempts, naming the last problem", async () => {
    const amo = await fakeAmocrm([answer(502)]);
    try {
      const error = await new AmocrmTransport(freeLimiter().limiter, quiet, fast)
        .send(call(amo.url, 'GET'))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AmocrmUnavailableError);
      expect((error as Error).message).toBe(
        'amoCRM could not be reached after 3 attempt(s): amoCRM answered 502.',
      );
      expect(amo.seen).toHaveLength(3);
    } finally {
      await amo.close();
    }
  });

  it('never repeats a create that may have arrived, and says its outcome is unknown', async () => {
    const amo = await fakeAmocrm([hangUp, answer(200)]);
    try {
      const error = await new AmocrmTransport(freeLimiter().limiter, quiet, fast)
        .send(call(amo.url, 'POST'))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AmocrmUnavailableError);
      expect((error as AmocrmUnavailableError).message).toMatch(/it may or may not have been applied/);
      expect(amo.seen.map((request) => request.method)).toEqual(['POST']);
    } finally {
      await amo.close();
    }
  });

  it('repeats an update whose connection dropped (PATCH is safe to send again)', async () => {
    const amo = await fakeAmocrm([hangUp, answer(200, '{"done":1}')]);
    try {
      const result = await new AmocrmTransport(freeLimiter().limiter, quiet, fast).send(
        call(amo.url, 'PATCH'),
      );
      expect(result).toMatchObject({ status: 200, attempts: 2 });
      expect(amo.seen.map((request) => request.method)).toEqual(['PATCH', 'PATCH']);
    } finally {
      await amo.close();
    }
  });
});
