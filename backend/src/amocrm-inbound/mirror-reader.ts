import type { ContactsService } from '../contacts/contacts.service';
import { MicroBatcher } from '../batching/micro-batcher';
import type { LeadsService } from '../leads/leads.service';
import type { AmocrmEntityVersionsRepository } from './amocrm-entity-versions.repository';
import type { MirrorView } from './webhook-change-plans';

/** The mirror rows a run's planning needs. */
interface MirrorRead {
  workspaceId: string;
  contactIds: number[];
  leadIds: number[];
}

/**
 * Planning reads of the runs going on at the same time, made together (see `readMirrorBatch`): what the mirror
 * has of the entities a run involves.
 */
export class MirrorReader {
  constructor(
    private readonly contacts: ContactsService,
    private readonly leads: LeadsService,
    private readonly versions: AmocrmEntityVersionsRepository,
  ) {}

  private readonly mirrorReads = new MicroBatcher<MirrorRead, MirrorView>(
    (reads) => this.readMirrorBatch(reads),
    { maxItems: 100, maxBytes: 100, maxConcurrent: 2 },
  );

  /** The mirror rows and applied versions of the entities a run's planning involves. */
  read(workspaceId: string, contactIds: number[], leadIds: number[]): Promise<MirrorView> {
    return this.mirrorReads.submit({ workspaceId, contactIds, leadIds });
  }

  /**
   * The mirror rows and applied versions for several runs: per workspace one read of contacts and one of leads
   * (then of the versions of the rows found), instead of two to four per run; each run gets what it asked for.
   * Plain reads: the commit locks and reads again what it changes.
   */
  private async readMirrorBatch(reads: MirrorRead[]): Promise<MirrorView[]> {
    const byWorkspace = new Map<string, MirrorView>();
    for (const workspaceId of new Set(reads.map((read) => read.workspaceId))) {
      const mine = reads.filter((read) => read.workspaceId === workspaceId);
      const [contactRows, leadRows] = await Promise.all([
        this.contacts.mirrorRowsOf(
          workspaceId,
          mine.flatMap((read) => read.contactIds),
        ),
        this.leads.mirrorRowsOf(
          workspaceId,
          mine.flatMap((read) => read.leadIds),
        ),
      ]);
      const contacts = new Map(contactRows.map((row) => [row.amocrmId as number, row]));
      const leads = new Map(leadRows.map((row) => [row.amocrmId as number, row]));
      // applied versions matter for entities the mirror has (a version without a row is planned as unknown, and
      // the commit still takes the version row's lock): entities new to the mirror cost no read here
      const [contactVersions, leadVersions] = await Promise.all([
        contacts.size > 0 ? this.versions.findMany(workspaceId, 'contact', [...contacts.keys()]) : new Map(),
        leads.size > 0 ? this.versions.findMany(workspaceId, 'lead', [...leads.keys()]) : new Map(),
      ]);
      byWorkspace.set(workspaceId, { contacts, leads, contactVersions, leadVersions });
    }
    return reads.map((read) => {
      const all = byWorkspace.get(read.workspaceId) as MirrorView;
      return {
        contacts: only(all.contacts, read.contactIds),
        leads: only(all.leads, read.leadIds),
        contactVersions: only(all.contactVersions, read.contactIds),
        leadVersions: only(all.leadVersions, read.leadIds),
      };
    });
  }
}

/** The entries of `map` for `ids`. */
function only<V>(map: Map<number, V>, ids: readonly number[]): Map<number, V> {
  const picked = new Map<number, V>();
  for (const id of ids) {
    const value = map.get(id);
    if (value !== undefined) picked.set(id, value);
  }
  return picked;
}
