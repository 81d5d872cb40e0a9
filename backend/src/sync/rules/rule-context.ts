import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import type { RuleEventContext } from './rule-evaluate';
import type { RuleEvent } from './rule.types';
import type { RuleValue } from './rule-values';

/** LPTracker `action_update_fields` entries → the rule fields they change. */
const UPDATE_FIELDS: Record<string, string[]> = {
  stage: ['lptracker.stage'],
  stage_id: ['lptracker.stage'],
  funnel: ['lptracker.stage'],
  name: ['lptracker.name'],
  owner: ['lptracker.owner'],
  contact: ['contact.name', 'contact.phone', 'contact.email'],
  view: ['view.source', 'view.campaign', 'view.keyword'],
};

/** The domain events an LPTracker lead delivery stands for (a stage change is also an update). */
export function lptrackerEventsOf(lead: LptrackerLead): RuleEvent[] {
  if (lead.action === 'create') return ['lead.created'];
  if (lead.action === 'delete') return ['lead.deleted'];
  const stage = (lead.updateFields ?? []).some((field) => UPDATE_FIELDS[field]?.includes('lptracker.stage'));
  return stage ? ['lead.updated', 'lead.stage_changed'] : ['lead.updated'];
}

/** A custom field value as conditions read it: text or a number, a list of texts, or null. */
function customValue(value: unknown): RuleValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value))
    return value.filter(
      (item): item is string | number => typeof item === 'string' || typeof item === 'number',
    );
  return JSON.stringify(value);
}

/**
 * The values of an LPTracker lead as rules read them (pure). LPTracker sends no old values: what changed comes
 * from `action_update_fields` (`custom.123` → `lptracker.custom.123`).
 */
export function lptrackerLeadContext(lead: LptrackerLead, event: RuleEvent): RuleEventContext {
  const values: Record<string, RuleValue> = {
    'event.source': 'lptracker',
    'event.type': event,
    'lptracker.name': lead.name,
    'lptracker.stage': lead.stageId,
    'lptracker.owner': lead.ownerId,
    'contact.name': lead.contact.name,
    'contact.phone': lead.contact.phones,
    'contact.email': lead.contact.emails,
    'view.source': lead.view.source,
    'view.campaign': lead.view.campaign,
    'view.keyword': lead.view.keyword,
  };
  for (const field of lead.custom) values[`lptracker.custom.${field.id}`] = customValue(field.value);
  const changedFields =
    lead.updateFields === null
      ? null
      : lead.updateFields.flatMap((field) => {
          const custom = /^custom[._](\d+)$/.exec(field);
          return custom ? [`lptracker.custom.${custom[1]}`] : (UPDATE_FIELDS[field] ?? []);
        });
  return { source: 'lptracker', event, values, old: null, changedFields };
}
