import type { FactoryProvider } from '@nestjs/common';
import type Redis from 'ioredis';
import { loadConfig } from '../../config/load-config';
import { AmocrmModule } from '../amocrm.module';
import { AmocrmUnavailableError } from '../amocrm.problems';
import { AMOCRM_LANES, AmocrmRateLimiter } from './amocrm-rate-limiter';

describe('amoCRM limiter', () => {
  it('is built by the module from AMOCRM_RPS and AMOCRM_RATE_MARGIN_MS', () => {
    const providers = Reflect.getMetadata('providers', AmocrmModule) as unknown[];
    const provider = providers.find(
      (entry): entry is FactoryProvider =>
        typeof entry === 'object' && (entry as FactoryProvider).provide === AmocrmRateLimiter,
    );
    const config = loadConfig({ AMOCRM_RPS: '9', AMOCRM_RATE_MARGIN_MS: '25' });
    const limiter = provider?.useFactory({}, config) as AmocrmRateLimiter;
    expect(limiter).toBeInstanceOf(AmocrmRateLimiter);
    expect([limiter.rps, limiter.windowMs]).toEqual([9, 1025]);
  });

  it('uses the shared lanes: interactive before sync before import', () => {
    expect(AMOCRM_LANES).toEqual(['interactive', 'sync', 'import']);
  });

  it('answers a typed amoCRM 503 (with Retry-After) when the caller’s turn would come after its deadline', async () => {
    const chain = { zrem: () => chain, exec: () => Promise.resolve([]) };
    // the queue poll answers "not yet, your turn is 4.2 s away"
    const redis = { evalsha: () => Promise.resolve([0, 4_200]), multi: () => chain } as unknown as Redis;
    const limiter = new AmocrmRateLimiter(redis, { rps: 7, marginMs: 40 });
    const error = await limiter.acquire('acc', 'sync', { deadline: Date.now() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmocrmUnavailableError);
    expect((error as AmocrmUnavailableError).retryAfterSeconds).toBe(5);
    expect((error as AmocrmUnavailableError).message).toContain('amoCRM calls are queued');
  });
});
