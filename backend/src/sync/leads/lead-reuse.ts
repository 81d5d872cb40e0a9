import { callerLane } from '../amocrm-lane';
import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmClient } from '../../amocrm/client/amocrm-client';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { ContactEntity } from '../../contacts/contact.entity';
import { NotFoundProblem } from '../../http/problem';
import type { LeadEntity } from '../../leads/lead.entity';
import type { LeadsService } from '../../leads/leads.service';
import type { ContactSyncService } from '../contacts/contact-sync.service';
import { SOURCE_AMOCRM } from '../mirror-sources';
import { leadDataFromAmo } from './lead-mapping';
import { pickReusableLead } from './lead-rules';
import type { PreparedLead } from './lead-writes';

/** Leads read per `filter[id]` request. */
const LEADS_PER_READ = 250;

/**
 * The reuse check of LeadSyncService against amoCRM (a part of it, not a provider): the contact's open lead with
 * the name as amoCRM has it, its mirror row refreshed.
 */
export class AmocrmLeadReuse {
  constructor(
    private readonly leads: LeadsService,
    private readonly contacts: ContactSyncService,
    private readonly client: AmocrmClient,
  ) {}

  /**
   * The contact's open lead with this name as amoCRM has it (its row refreshed), or null. The rows the decision
   * rests on are refreshed: the reused lead, and a stale mirror candidate (not reusable when amoCRM no longer
   * lists it for this contact).
   */
  async reusable(
    workspaceId: string,
    contact: ContactEntity,
    prepared: PreparedLead,
    metadata: AmocrmMetadata,
    local: LeadEntity | null,
    knownAmoLeadIds: number[] | undefined,
  ): Promise<LeadEntity | null> {
    const ids = knownAmoLeadIds ?? (await this.contacts.amocrmLeadIdsOf(workspaceId, contact));
    if (ids === null) throw new NotFoundProblem('The contact (deleted in amoCRM)');
    const amoLeads = await this.readLeads(workspaceId, ids);
    const reusable = pickReusableLead(amoLeads, prepared.name);
    const now = new Date();
    for (const lead of amoLeads) {
      if (lead.id === reusable?.id || lead.id === local?.amocrmId) {
        await this.leads.upsertMirrorRow(
          workspaceId,
          leadDataFromAmo(lead, contact.id, metadata, SOURCE_AMOCRM, now),
        );
      }
    }
    if (local?.amocrmId != null && !amoLeads.some((lead) => lead.id === local.amocrmId)) {
      await this.leads.updateMirrorRow(workspaceId, local.id, { syncedAt: now });
    }
    if (!reusable) return null;
    return (await this.leads.findByAmocrmId(workspaceId, reusable.id))!;
  }

  private async readLeads(workspaceId: string, ids: readonly number[]): Promise<AmoLead[]> {
    const api = this.client.forWorkspace(workspaceId, callerLane());
    const leads: AmoLead[] = [];
    for (let start = 0; start < ids.length; start += LEADS_PER_READ) {
      const part = ids.slice(start, start + LEADS_PER_READ);
      for await (const page of api.listLeads({ filter: { id: [...part] }, limit: LEADS_PER_READ }))
        leads.push(...page);
    }
    return leads;
  }
}
