import { EnabledProjectsCache, projectVerdict } from './project-check';

describe('LPTracker project check', () => {
  it('lets through a delivery whose projects are all enabled', () => {
    expect(projectVerdict([101, 102], [102])).toEqual({ ok: true });
  });

  it('refuses an unknown project, naming it', () => {
    const verdict = projectVerdict([101], [101, 999]);
    expect(verdict).toMatchObject({ ok: false, reason: 'project_mismatch' });
    expect(!verdict.ok && verdict.detail).toContain('999');
  });

  it('refuses when LPTracker is not connected, or no project is named', () => {
    expect(projectVerdict(null, [101])).toMatchObject({ ok: false, reason: 'lptracker_not_connected' });
    expect(projectVerdict([101], [])).toMatchObject({ ok: false, reason: 'project_mismatch' });
  });

  it('remembers the projects for a while and forgets a workspace on demand', async () => {
    let now = 0;
    let calls = 0;
    const cache = new EnabledProjectsCache(
      () => {
        calls += 1;
        return Promise.resolve([calls]);
      },
      1000,
      () => now,
    );
    expect(await cache.get('w')).toEqual([1]);
    expect(await cache.get('w')).toEqual([1]);
    cache.forget('w');
    expect(await cache.get('w')).toEqual([2]);
    now = 5000;
    expect(await cache.get('w')).toEqual([3]);
  });
});
