import { callbacksOf, projectCallbacks } from './callback-list';
import { maskedUrl } from './lptracker-webhook.controller';

describe('LPTracker callback list', () => {
  const ours = 'https://sync.example.com/webhooks/lptracker/SECRETabcd';

  it('reads a bare array or an envelope result, leaving out entries without a URL', () => {
    const list = [
      { id: 1, name: 'Customer website', url: 'https://customer.example.com/hook' },
      { id: 2, name: 'amoCRM ⇄ LPTracker integration', url: ours },
      { id: 3, name: 'empty', url: '' },
    ];
    expect(callbacksOf(list)).toHaveLength(2);
    expect(callbacksOf({ callbacks: list })).toHaveLength(2);
  });

  it('says whether ours is registered and counts the others', () => {
    const entries = callbacksOf([
      { name: 'Customer website', url: 'https://customer.example.com/hook' },
      { name: 'mine', url: ours },
    ]);
    expect(projectCallbacks(7, entries, ours)).toEqual({
      projectId: 7,
      registered: true,
      others: 1,
      error: null,
    });
    expect(projectCallbacks(7, entries.slice(0, 1), ours)).toMatchObject({ registered: false, others: 1 });
  });

  it('masks the secret of the URL for callers who may not see it', () => {
    expect(maskedUrl(ours)).toBe('https://sync.example.com/webhooks/lptracker/***abcd');
    expect(maskedUrl(ours)).not.toContain('SECRET');
  });
});
