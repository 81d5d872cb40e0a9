import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import type { LptrackerLinkEntity } from '../lptracker/lptracker-link.entity';
import type { RuleTarget } from './rule-requests';

/** What the actions of a rule run on an LPTracker lead address: the lead itself and what the sync linked to it. */
export function lptrackerLeadTarget(
  lead: Pick<LptrackerLead, 'id' | 'projectId' | 'name' | 'contact'>,
  link: Pick<LptrackerLinkEntity, 'amocrmLeadId' | 'amocrmContactId' | 'lptrackerContactId'> | null,
): RuleTarget {
  return {
    amocrmLeadId: link?.amocrmLeadId ?? null,
    amocrmContactId: link?.amocrmContactId ?? null,
    lptrackerLeadId: lead.id,
    lptrackerContactId: lead.contact.id ?? link?.lptrackerContactId ?? null,
    lptrackerProjectId: lead.projectId,
    lptrackerLeadName: lead.name,
  };
}
