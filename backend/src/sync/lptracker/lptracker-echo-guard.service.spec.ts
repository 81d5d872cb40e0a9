import { FakeRedis } from '../../../test/support/fake-redis';
import { EchoGuardService, echoKey } from '../echo-guard.service';
import { LptrackerEchoGuardService, touchedKeys } from './lptracker-echo-guard.service';

describe('LptrackerEchoGuardService', () => {
  let redis: FakeRedis;
  let guard: LptrackerEchoGuardService;
  const now = Date.now();

  beforeEach(() => {
    redis = new FakeRedis();
    guard = new LptrackerEchoGuardService(new EchoGuardService(redis.asRedis()));
  });

  it('keeps its records on the echo guard, under the lptracker-lead entity, as digests only', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7, custom: { '5': 'Иван Петров' } });
    const stored = await redis.lrange(echoKey('w1', 'lptracker-lead', 42), 0, -1);
    expect(stored).toHaveLength(1);
    expect(stored?.[0]).not.toContain('Иван');
  });

  it('takes the callback after our stage change for an echo', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7 });
    const observed = { stageId: 7, custom: { '5': 'x' }, updateFields: ['stage', 'stage_id'], actionAt: now };
    expect(await guard.isEcho('w1', 42, observed)).toBe(true);
  });

  it('is not an echo when the stage is another, the lead or workspace differ, or nothing was written', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7 });
    const observed = { stageId: 8, updateFields: ['stage'], actionAt: now };
    expect(await guard.isEcho('w1', 42, observed)).toBe(false);
    expect(await guard.isEcho('w1', 43, { ...observed, stageId: 7 })).toBe(false);
    expect(await guard.isEcho('w2', 42, { ...observed, stageId: 7 })).toBe(false);
  });

  it('is not an echo when the callback also changed a field we did not write', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7 });
    const observed = { stageId: 7, name: 'Новое имя', updateFields: ['stage', 'name'], actionAt: now };
    expect(await guard.isEcho('w1', 42, observed)).toBe(false);
  });

  it('matches each touched field against the request that wrote it (stage and custom in two requests)', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7 });
    await guard.recordWrite('w1', 42, { custom: { '5': 'VIP' } });
    const both = {
      stageId: 7,
      custom: { '5': ['VIP'] },
      updateFields: ['stage_id', 'custom.5'],
      actionAt: now,
    };
    expect(await guard.isEcho('w1', 42, both)).toBe(true);
    expect(await guard.isEcho('w1', 42, { ...both, custom: { '5': 'Обычный' } })).toBe(false);
  });

  it('is not an echo for a change made well after our write', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7 });
    const later = { stageId: 7, updateFields: ['stage'], actionAt: now + 60_000 };
    expect(await guard.isEcho('w1', 42, later)).toBe(false);
  });

  it('without action_update_fields, needs one write wholly described', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7, custom: { '5': 'VIP' } });
    expect(await guard.isEcho('w1', 42, { stageId: 7, custom: { '5': 'VIP' } })).toBe(true);
    expect(await guard.isEcho('w1', 42, { stageId: 7, custom: {} })).toBe(false);
  });

  it('an empty update list is not an echo', async () => {
    await guard.recordWrite('w1', 42, { stageId: 7 });
    expect(await guard.isEcho('w1', 42, { stageId: 7, updateFields: [] })).toBe(false);
  });

  it('maps action_update_fields to field keys', () => {
    expect(touchedKeys(['stage', 'stage_id', 'custom.12', 'owner', 'payments'])).toEqual([
      'stage_id',
      'custom:12',
      'owner_id',
      'other:payments',
    ]);
    expect(touchedKeys(null)).toBeNull();
  });
});
