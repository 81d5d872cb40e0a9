import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { CrmLeadData } from '../../leads/leads.service';
import { customFieldsFromAmo } from '../custom-fields';
import { placementNames } from './lead-rules';

/** The mirror row of an amoCRM lead, linked to the local contact `contactId`. */
export function leadDataFromAmo(
  lead: AmoLead,
  contactId: string | null,
  metadata: AmocrmMetadata | null,
  source: string | null,
  syncedAt: Date,
): CrmLeadData {
  return {
    amocrmId: lead.id,
    name: lead.name,
    statusId: lead.status_id,
    status: placementNames(metadata, lead.pipeline_id, lead.status_id).status,
    pipelineId: lead.pipeline_id,
    price: typeof lead.price === 'number' ? lead.price : null,
    contactId,
    responsibleUserId: typeof lead.responsible_user_id === 'number' ? lead.responsible_user_id : null,
    customFields: customFieldsFromAmo(lead.custom_fields_values),
    tags: (lead._embedded?.tags ?? []).map((tag) => tag.name),
    source,
    syncedAt,
    closedAt:
      typeof lead.closed_at === 'number' && lead.closed_at > 0 ? new Date(lead.closed_at * 1000) : null,
  };
}
