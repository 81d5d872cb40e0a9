import { FakeRedis } from '../../test/support/fake-redis';
import { ECHO_TTL_SECONDS, EchoGuardService, echoKey } from './echo-guard.service';

describe('EchoGuardService', () => {
  let redis: FakeRedis;
  let guard: EchoGuardService;
  const now = Math.floor(Date.now() / 1000);

  beforeEach(() => {
    redis = new FakeRedis();
    guard = new EchoGuardService(redis.asRedis());
  });

  it('recognises a webhook describing exactly what we wrote, with the same updated_at', async () => {
    await guard.recordWrite('ws', 'lead', 7, { fields: { name: 'Заявка', status_id: 11 }, updatedAt: now });
    expect(
      await guard.isEcho('ws', 'lead', 7, {
        updatedAt: now,
        fields: { name: 'Заявка', status_id: 11, price: 0, tags: [] },
      }),
    ).toBe(true);
    expect(await redis.ttl(echoKey('ws', 'lead', 7))).toBe(ECHO_TTL_SECONDS);
  });

  it('does not take a later change (another updated_at, or different values) for an echo', async () => {
    await guard.recordWrite('ws', 'lead', 7, { fields: { name: 'Заявка', status_id: 11 }, updatedAt: now });
    expect(
      await guard.isEcho('ws', 'lead', 7, {
        updatedAt: now + 30,
        fields: { name: 'Заявка', status_id: 11, price: 900 },
      }),
    ).toBe(false);
    expect(
      await guard.isEcho('ws', 'lead', 7, { updatedAt: now, fields: { name: 'Заявка', status_id: 12 } }),
    ).toBe(false);
  });

  it('without amoCRM’s updated_at (creates), accepts only states no later than the write', async () => {
    await guard.recordWrite('ws', 'contact', 5, { fields: { name: 'Иван', 'cf:10': ['+79161234567'] } });
    const fields = { name: 'Иван', 'cf:10': ['+79161234567'], 'cf:11': [] };
    expect(await guard.isEcho('ws', 'contact', 5, { updatedAt: now, fields })).toBe(true);
    expect(await guard.isEcho('ws', 'contact', 5, { fields })).toBe(true);
    expect(await guard.isEcho('ws', 'contact', 5, { updatedAt: now + 120, fields })).toBe(false);
  });

  it('keeps entities, entity types and workspaces apart, and checks every recent write', async () => {
    await guard.recordWrite('ws', 'lead', 7, { fields: { name: 'Первая' }, updatedAt: now - 10 });
    await guard.recordWrite('ws', 'lead', 7, { fields: { name: 'Вторая' }, updatedAt: now });
    expect(await guard.isEcho('ws', 'lead', 7, { updatedAt: now - 10, fields: { name: 'Первая' } })).toBe(
      true,
    );
    expect(await guard.isEcho('ws', 'lead', 7, { updatedAt: now, fields: { name: 'Вторая' } })).toBe(true);
    expect(await guard.isEcho('ws', 'lead', 8, { updatedAt: now, fields: { name: 'Вторая' } })).toBe(false);
    expect(await guard.isEcho('ws', 'contact', 7, { updatedAt: now, fields: { name: 'Вторая' } })).toBe(
      false,
    );
    expect(await guard.isEcho('other', 'lead', 7, { updatedAt: now, fields: { name: 'Вторая' } })).toBe(
      false,
    );
  });

  it('stores digests only, never phone numbers or names', async () => {
    await guard.recordWrites('ws', 'contact', [
      { amocrmId: 1, fields: { name: 'Иван Петров', 'cf:10': ['+79161234567'] } },
    ]);
    const stored = (await redis.lrange(echoKey('ws', 'contact', 1), 0, -1)).join();
    expect(stored).not.toContain('79161234567');
    expect(stored).not.toContain('Иван');
  });
});
