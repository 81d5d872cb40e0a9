import { CoalescedVersionReads } from './coalesced-version-reads';

describe('CoalescedVersionReads', () => {
  it('answers the calls of one turn with one read per workspace, and a later call with a read begun after it', async () => {
    const reads: string[] = [];
    const versions = new Map([
      ['a', 1],
      ['b', 7],
    ]);
    let release!: () => void;
    let gate = Promise.resolve();
    const coalesced = new CoalescedVersionReads(async (workspaceId) => {
      reads.push(workspaceId);
      const version = versions.get(workspaceId) as number;
      await gate;
      return version;
    });
    const first = await Promise.all(['a', 'a', 'b', 'a'].map((id) => coalesced.current(id)));
    expect(first).toEqual([1, 1, 7, 1]);
    expect(reads).toEqual(['a', 'b']);

    // a read is running (it saw version 1); the version is bumped; a call made now must not join that read
    gate = new Promise<void>((resolve) => (release = resolve));
    const running = coalesced.current('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual(['a', 'b', 'a']);
    versions.set('a', 2);
    const after = coalesced.current('a');
    release();
    await expect(running).resolves.toBe(1);
    await expect(after).resolves.toBe(2);
    expect(reads).toEqual(['a', 'b', 'a', 'a']);
  });
});
