import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { AmocrmRateLimiter, type AmocrmLane } from '../src/amocrm/client/amocrm-rate-limiter';
import { loadConfig } from '../src/config/load-config';

/** The service's default margin (AMOCRM_RATE_MARGIN_MS). */
const marginMs = loadConfig({}).amocrmRateMarginMs;

/** The shared limiter against a real Redis, used by several "processes" (separate clients and limiter objects). */
describe('amoCRM rate limiter (Redis)', () => {
  const prefix = `tlim${randomBytes(4).toString('hex')}:`;
  const clients: Redis[] = [];
  const newClient = (): Redis => {
    const client = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix });
    clients.push(client);
    return client;
  };

  /** Waits (with a deadline, not a fixed sleep) until this many calls wait in the account's queue. */
  const queuedWaiters = async (account: string, count: number): Promise<void> => {
    const reader = newClient();
    const until = Date.now() + 10_000;
    while ((await reader.zcard(`amocrm:limit:{${account}}:queue`)) < count) {
      if (Date.now() > until) throw new Error(`${count} waiters never queued for ${account}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  afterAll(async () => {
    const cleaner = newClient();
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys.map((key) => key.slice(prefix.length)));
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('never grants more than rps sends in any rolling second, across processes', async () => {
    const limiters = [0, 1, 2].map(() => new AmocrmRateLimiter(newClient(), { rps: 10, marginMs }));
    const reader = newClient();
    const grants: number[] = [];
    const deadline = Date.now() + 30_000;
    await Promise.all(
      Array.from({ length: 26 }, async (_, i) => {
        const grant = await limiters[i % 3].acquire('acct-window', 'sync', { deadline });
        // The time Redis granted the send (the limiter's own record), not when this busy test process got to it.
        const grantedAt = await reader.zscore('amocrm:limit:{acct-window}:window', grant.slot);
        expect(grantedAt).not.toBeNull();
        grants.push(Number(grantedAt));
      }),
    );
    grants.sort((a, b) => a - b);
    for (let i = 0; i < grants.length; i += 1) {
      const inWindow = grants.filter((time) => time >= grants[i] && time < grants[i] + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    expect(grants).toHaveLength(26);
  });

  it('lets a queued interactive call overtake sync and import calls queued before it', async () => {
    const limiter = new AmocrmRateLimiter(newClient(), { rps: 1, marginMs });
    const other = new AmocrmRateLimiter(newClient(), { rps: 1, marginMs });
    const deadline = Date.now() + 30_000;
    await limiter.acquire('acct-priority', 'sync', { deadline }); // fills the window
    const order: string[] = [];
    const queue = (lane: AmocrmLane, name: string, from: AmocrmRateLimiter): Promise<void> =>
      from.acquire('acct-priority', lane, { deadline }).then(() => {
        order.push(name);
      });
    const waiting = [queue('import', 'import-1', limiter), queue('sync', 'sync-1', other)];
    await queuedWaiters('acct-priority', 2);
    waiting.push(queue('interactive', 'interactive-1', other));
    await Promise.all(waiting);
    expect(order).toEqual(['interactive-1', 'sync-1', 'import-1']);
  });

  it('keeps a retried call in its place: the first-queued time wins over newer calls of the same lane', async () => {
    const limiter = new AmocrmRateLimiter(newClient(), { rps: 1, marginMs });
    const deadline = Date.now() + 30_000;
    const first = await limiter.acquire('acct-retry', 'sync', { deadline });
    const order: string[] = [];
    const fresh = limiter.acquire('acct-retry', 'sync', { deadline }).then(() => order.push('fresh'));
    await queuedWaiters('acct-retry', 1);
    const retry = limiter
      .acquire('acct-retry', 'sync', { deadline, queuedAt: first.queuedAt })
      .then(() => order.push('retry'));
    await Promise.all([fresh, retry]);
    expect(order).toEqual(['retry', 'fresh']);
  });

  it('drops a waiter that stopped polling (a dead process) instead of blocking the queue', async () => {
    const redis = newClient();
    const limiter = new AmocrmRateLimiter(redis, { rps: 5, marginMs, staleWaiterMs: 300 });
    const key = 'amocrm:limit:{acct-stale}';
    await redis.zadd(`${key}:queue`, 0, 'dead-waiter');
    await redis.zadd(`${key}:seen`, Date.now() - 10_000, 'dead-waiter');
    await limiter.acquire('acct-stale', 'import', { deadline: Date.now() + 5_000 });
    expect(await redis.zscore(`${key}:queue`, 'dead-waiter')).toBeNull();
  });

  it('holds every process back after a 429 and refuses a call that would wait past its deadline', async () => {
    const limiter = new AmocrmRateLimiter(newClient(), { rps: 5, marginMs });
    const other = new AmocrmRateLimiter(newClient(), { rps: 5, marginMs });
    await limiter.penalize('acct-429', 5_000);
    await expect(
      other.acquire('acct-429', 'interactive', { deadline: Date.now() + 500 }),
    ).rejects.toMatchObject({
      name: 'AmocrmUnavailableError',
    });
    // The queue is left clean after giving up.
    const redis = newClient();
    expect(await redis.zcard('amocrm:limit:{acct-429}:queue')).toBe(0);
  });
});
