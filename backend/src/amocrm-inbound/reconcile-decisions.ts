import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import type { ContactEntity } from '../contacts/contact.entity';
import type { LeadEntity } from '../leads/lead.entity';
import { contactChanges, leadChanges } from './mirror-changes';
import { mirrorContactData, mirrorLeadData, type MappingContext } from './webhook-mapping';

/**
 * Whether the mirror already holds what reconciliation lists (pure): a live row whose applied version is at
 * least the listed one and whose mirrored fields are the listed ones. Versions are whole seconds, so two changes
 * within one second share a version: the content decides then. Such an entity is not fed again — a version a
 * webhook brought does nothing. (The contact link of a lead is not compared: the API lists it by amoCRM id.)
 */
export function alreadyApplied(
  item: AmoContact | AmoLead,
  row: ContactEntity | LeadEntity | undefined,
  appliedVersion: number | null,
  mapping: MappingContext,
): boolean {
  if (!row || row.deletedAt !== null || item.is_deleted === true) return false;
  if (appliedVersion === null || appliedVersion < item.updated_at) return false;
  if ('status_id' in item) {
    const lead = row as LeadEntity;
    return leadChanges(lead, mirrorLeadData(item, lead.contactId, mapping)).length === 0;
  }
  return contactChanges(row as ContactEntity, mirrorContactData(item, mapping)).length === 0;
}
