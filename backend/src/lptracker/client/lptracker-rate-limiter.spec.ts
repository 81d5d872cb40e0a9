import type { FactoryProvider } from '@nestjs/common';
import type Redis from 'ioredis';
import { loadConfig } from '../../config/load-config';
import { LptrackerModule } from '../lptracker.module';
import { LptrackerUnavailableError } from '../lptracker.problems';
import { LptrackerRateLimiter } from './lptracker-rate-limiter';

describe('LPTracker limiter', () => {
  it('is built by the module from LPTRACKER_RPS and LPTRACKER_RATE_MARGIN_MS', () => {
    const providers = Reflect.getMetadata('providers', LptrackerModule) as unknown[];
    const provider = providers.find(
      (entry): entry is FactoryProvider =>
        typeof entry === 'object' && (entry as FactoryProvider).provide === LptrackerRateLimiter,
    );
    const config = loadConfig({ LPTRACKER_RPS: '5', LPTRACKER_RATE_MARGIN_MS: '75' });
    const limiter = provider?.useFactory({}, config) as LptrackerRateLimiter;
    expect(limiter).toBeInstanceOf(LptrackerRateLimiter);
    expect([limiter.rps, limiter.windowMs]).toEqual([5, 1075]);
  });

  it('answers a typed LPTracker 503 (with Retry-After) when the caller’s turn would come after its deadline', async () => {
    const chain = { zrem: () => chain, exec: () => Promise.resolve([]) };
    // the queue poll answers "not yet, your turn is 2.5 s away"
    const redis = { evalsha: () => Promise.resolve([0, 2_500]), multi: () => chain } as unknown as Redis;
    const limiter = new LptrackerRateLimiter(redis, { rps: 3, marginMs: 60 });
    const error = await limiter.acquire('login', 'sync', { deadline: Date.now() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LptrackerUnavailableError);
    expect((error as LptrackerUnavailableError).retryAfterSeconds).toBe(3);
    expect((error as LptrackerUnavailableError).message).toContain('LPTracker calls are queued');
  });
});
