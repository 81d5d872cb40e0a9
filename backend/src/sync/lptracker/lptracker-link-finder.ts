import { MicroBatcher } from '../../batching/micro-batcher';
import type { LptrackerLinkEntity } from './lptracker-link.entity';

/** The links of some amoCRM leads of one workspace. */
interface LinkLookup {
  workspaceId: string;
  amocrmLeadIds: readonly number[];
}

type FindLinks = (workspaceId: string, amocrmLeadIds: readonly number[]) => Promise<LptrackerLinkEntity[]>;

/**
 * The back-flow's link lookups of the runs going on at the same time, made together: one read per workspace for
 * all of them instead of one per inbox event (the lookup runs for every lead change, linked or not); each run gets
 * the links of its own leads. A plain read: the back-flow reads a found link again under the LPTracker lead's lock.
 */
export class LptrackerLinkFinder {
  private readonly lookups: MicroBatcher<LinkLookup, LptrackerLinkEntity[]>;

  constructor(private readonly find: FindLinks) {
    this.lookups = new MicroBatcher((batch) => this.findBatch(batch), {
      maxItems: 200,
      maxBytes: 200,
      maxConcurrent: 2,
    });
  }

  findByAmocrmLeadIds(workspaceId: string, amocrmLeadIds: readonly number[]): Promise<LptrackerLinkEntity[]> {
    if (amocrmLeadIds.length === 0) return Promise.resolve([]);
    return this.lookups.submit({ workspaceId, amocrmLeadIds });
  }

  private async findBatch(batch: LinkLookup[]): Promise<LptrackerLinkEntity[][]> {
    const byWorkspace = new Map<string, Map<number, LptrackerLinkEntity>>();
    for (const workspaceId of new Set(batch.map((lookup) => lookup.workspaceId))) {
      const ids = new Set(
        batch.flatMap((lookup) => (lookup.workspaceId === workspaceId ? lookup.amocrmLeadIds : [])),
      );
      const links = await this.find(workspaceId, [...ids]);
      byWorkspace.set(workspaceId, new Map(links.map((link) => [link.amocrmLeadId, link])));
    }
    return batch.map((lookup) => {
      const links = byWorkspace.get(lookup.workspaceId) as Map<number, LptrackerLinkEntity>;
      return [...new Set(lookup.amocrmLeadIds)].flatMap((id) => {
        const link = links.get(id);
        return link ? [link] : [];
      });
    });
  }
}
