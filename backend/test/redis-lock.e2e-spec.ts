import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RedisLock } from '../src/redis/redis-lock';

/** The one Redis lock helper against a real Redis, held by several "processes" (separate clients). */
describe('Redis lock (Redis)', () => {
  const prefix = `tlock${randomBytes(4).toString('hex')}:`;
  const clients: Redis[] = [];
  const newClient = (): Redis => {
    const client = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix });
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    const cleaner = newClient();
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys.map((key) => key.slice(prefix.length)));
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('is held by one process at a time, and free for the next once released', async () => {
    const [one, two] = [newClient(), newClient()];
    const held = await RedisLock.tryAcquire(one, 'one-at-a-time', 10_000);
    expect(held).not.toBeNull();
    expect(await RedisLock.tryAcquire(two, 'one-at-a-time', 10_000)).toBeNull();
    expect(await held!.release()).toBe(true);
    const next = await RedisLock.tryAcquire(two, 'one-at-a-time', 10_000);
    expect(next).not.toBeNull();
    await next!.release();
  });

  it('lets a waiter in as soon as the holder releases, and gives up at its deadline', async () => {
    const [one, two] = [newClient(), newClient()];
    const held = (await RedisLock.tryAcquire(one, 'waited-for', 10_000))!;
    expect(await RedisLock.acquire(two, 'waited-for', 10_000, { deadline: Date.now() + 150 })).toBeNull();
    const waiting = RedisLock.acquire(two, 'waited-for', 10_000, { deadline: Date.now() + 10_000 });
    await held.release();
    const taken = await waiting;
    expect(taken?.key).toBe('waited-for');
    await taken!.release();
  });

  it('fences a stalled holder: after its key expired and was taken, it can neither renew nor release it', async () => {
    const [stalled, other] = [newClient(), newClient()];
    const old = (await RedisLock.tryAcquire(stalled, 'fenced', 50))!;
    const deadline = Date.now() + 5_000;
    let taken: RedisLock | null = null;
    while (!taken && Date.now() < deadline)
      taken = await RedisLock.acquire(other, 'fenced', 10_000, { deadline: Date.now() + 100 });
    expect(taken).not.toBeNull();
    expect(await old.renew(10_000)).toBe(false);
    expect(await old.release()).toBe(false);
    // the new holder still has it: nobody else gets in, and it can extend it
    expect(await RedisLock.tryAcquire(newClient(), 'fenced', 10_000)).toBeNull();
    expect(await taken!.renew(20_000)).toBe(true);
    expect(await RedisLock.remainingMs(other, 'fenced')).toBeGreaterThan(10_000);
    await taken!.release();
  });
});
