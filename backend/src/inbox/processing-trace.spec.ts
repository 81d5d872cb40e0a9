import { ProcessingTrace, errorText } from './processing-trace';

describe('processing trace', () => {
  it('times steps and keeps their detail', async () => {
    const trace = new ProcessingTrace(new AbortController().signal);
    const value = await trace.step('parse', () => 42, { changes: 2 });
    expect(value).toBe(42);
    expect(trace.steps).toEqual([
      { name: 'parse', ms: expect.any(Number), ok: true, detail: { changes: 2 } },
    ]);
  });

  it('records a failed step with its message and rethrows', async () => {
    const trace = new ProcessingTrace(new AbortController().signal);
    await expect(
      trace.step('amoCRM: update lead', () => Promise.reject(new TypeError('boom'))),
    ).rejects.toThrow('boom');
    expect(trace.steps[0]).toMatchObject({
      name: 'amoCRM: update lead',
      ok: false,
      error: 'TypeError: boom',
    });
  });

  it('collects skips, notes and domain events', () => {
    const trace = new ProcessingTrace(new AbortController().signal);
    trace.note('echo guard', { ours: 1 });
    trace.skip('leads:update:1:5', 'echo', 'written by us 2 s ago');
    trace.publish({
      type: 'lead.stage_changed',
      workspaceId: 'w',
      source: 'amocrm',
      inboxEventId: 'e',
      entityId: '1',
      occurredAt: new Date(0),
      old: { pipelineId: '1', statusId: '10' },
      new: { pipelineId: '1', statusId: '11' },
    });
    expect(trace.steps).toEqual([{ name: 'echo guard', ok: true, detail: { ours: 1 } }]);
    expect(trace.skipped).toEqual([
      { key: 'leads:update:1:5', reason: 'echo', detail: 'written by us 2 s ago' },
    ]);
    expect(trace.domainEvents).toHaveLength(1);
  });

  it('keeps error texts short', () => {
    expect(errorText(new Error('x'.repeat(2000)))).toHaveLength(500);
    expect(errorText('plain')).toBe('plain');
  });
});
