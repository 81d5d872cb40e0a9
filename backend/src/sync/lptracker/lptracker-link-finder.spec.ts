import type { LptrackerLinkEntity } from './lptracker-link.entity';
import { LptrackerLinkFinder } from './lptracker-link-finder';

const link = (workspaceId: string, amocrmLeadId: number): LptrackerLinkEntity =>
  ({ workspaceId, amocrmLeadId, lptrackerLeadId: amocrmLeadId + 1000 }) as LptrackerLinkEntity;

describe('LptrackerLinkFinder: the back-flow link lookups of concurrent runs', () => {
  it('reads once per workspace for the lookups made together, each run getting the links of its own leads', async () => {
    const stored = [link('w1', 1), link('w1', 3), link('w2', 1)];
    const reads: { workspaceId: string; ids: number[] }[] = [];
    const finder = new LptrackerLinkFinder((workspaceId, ids) => {
      reads.push({ workspaceId, ids: [...ids].sort() });
      return Promise.resolve(
        stored.filter((row) => row.workspaceId === workspaceId && ids.includes(row.amocrmLeadId)),
      );
    });
    const found = await Promise.all([
      finder.findByAmocrmLeadIds('w1', [1, 2]),
      finder.findByAmocrmLeadIds('w1', [3]),
      finder.findByAmocrmLeadIds('w2', [1, 4]),
      finder.findByAmocrmLeadIds('w1', [2, 2]),
    ]);
    expect(reads).toEqual([
      { workspaceId: 'w1', ids: [1, 2, 3] },
      { workspaceId: 'w2', ids: [1, 4] },
    ]);
    expect(found.map((links) => links.map((row) => `${row.workspaceId}:${row.amocrmLeadId}`))).toEqual([
      ['w1:1'],
      ['w1:3'],
      ['w2:1'],
      [],
    ]);
  });

  it('answers an empty lookup without a read, and gives a failed read to each of its runs', async () => {
    const finder = new LptrackerLinkFinder(() => Promise.reject(new Error('database gone')));
    await expect(finder.findByAmocrmLeadIds('w1', [])).resolves.toEqual([]);
    await expect(
      Promise.allSettled([finder.findByAmocrmLeadIds('w1', [1]), finder.findByAmocrmLeadIds('w1', [2])]),
    ).resolves.toEqual([
      { status: 'rejected', reason: new Error('database gone') },
      { status: 'rejected', reason: new Error('database gone') },
    ]);
  });
});
