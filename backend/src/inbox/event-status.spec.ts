import { canTransition, dismissRefusal, finishedStatus, replayRefusal } from './event-status';

describe('event statuses', () => {
  it('follows received → queued → processing → done, with retries and replays going back to queued', () => {
    expect(canTransition('received', 'queued')).toBe(true);
    expect(canTransition('queued', 'processing')).toBe(true);
    expect(canTransition('processing', 'done')).toBe(true);
    expect(canTransition('processing', 'queued')).toBe(true); // retry or lapsed lease
    expect(canTransition('failed', 'queued')).toBe(true); // replay
    expect(canTransition('failed', 'dismissed')).toBe(true);
    expect(canTransition('done', 'queued')).toBe(true); // replay
  });

  it('never goes backwards from a finished state except through a replay', () => {
    expect(canTransition('done', 'processing')).toBe(false);
    expect(canTransition('done', 'failed')).toBe(false);
    expect(canTransition('dismissed', 'done')).toBe(false);
    expect(canTransition('received', 'done')).toBe(false);
    expect(canTransition('done', 'dismissed')).toBe(false);
  });

  it('replays only finished events, and not a pure duplicate', () => {
    expect(replayRefusal('failed', null)).toBeNull();
    expect(replayRefusal('done', null)).toBeNull();
    expect(replayRefusal('dismissed', null)).toBeNull();
    expect(replayRefusal('skipped', 'echo')).toBeNull();
    expect(replayRefusal('processing', null)?.reason).toContain('processing');
    expect(replayRefusal('queued', null)).not.toBeNull();
    expect(replayRefusal('skipped', 'duplicate')?.reason).toContain('earlier event');
  });

  it('dismisses only failed events', () => {
    expect(dismissRefusal('failed')).toBeNull();
    expect(dismissRefusal('done')?.reason).toContain('done');
  });

  it('ends skipped only when every owned change was skipped', () => {
    expect(finishedStatus(['a', 'b'], [])).toEqual({ status: 'done', skipReason: null });
    expect(finishedStatus(['a', 'b'], [{ key: 'a', reason: 'echo' }])).toEqual({
      status: 'done',
      skipReason: null,
    });
    expect(
      finishedStatus(
        ['a', 'b'],
        [
          { key: 'a', reason: 'echo' },
          { key: 'b', reason: 'echo' },
        ],
      ),
    ).toEqual({ status: 'skipped', skipReason: 'echo' });
    expect(
      finishedStatus(
        ['a', 'b'],
        [
          { key: 'a', reason: 'echo' },
          { key: 'b', reason: 'filtered' },
        ],
      ),
    ).toEqual({ status: 'skipped', skipReason: 'filtered' });
    expect(finishedStatus(['a'], [{ key: null, reason: 'filtered' }])).toEqual({
      status: 'skipped',
      skipReason: 'filtered',
    });
  });
});
