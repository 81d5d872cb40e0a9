import type { EngineRequest, RuleMapped } from './rule-find-or-create';
import type { RuleAction } from './rule.types';

/**
 * Which requests an action would send (pure: nothing is sent). The live run (`RuleRunnerService`) sends these
 * (amoCRM lead changes through the engine's update, which reads the lead first and adds the mirror and the echo
 * guard), a dry run or a backtest shows them. Requests name the linked records of the event; an action whose
 * record is not known (an LPTracker action on an unlinked amoCRM lead) answers a `missing` reason instead.
 */
export interface RuleRequest {
  system: 'amocrm' | 'lptracker';
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  body: unknown;
  /** A find-or-create's create: sent only when its lookups found nothing. */
  when?: 'none found';
}

/**
 * What planning the engine actions needs beyond the event's records (built by the caller, who can read the mapping
 * and the metadata): the mapped values of `update_lead` with `useMapping`, and the requests of a find-or-create.
 */
export interface RulePlanEngine {
  mapped?: RuleMapped | null;
  findOrCreate?: (
    action: Extract<RuleAction, { type: 'find_or_create_contact' | 'find_or_create_lead' }>,
  ) => { requests: EngineRequest[] } | { error: string };
}

/** The records an event's actions address (from the event and its LPTracker ↔ amoCRM link). */
export interface RuleTarget {
  amocrmLeadId: number | null;
  amocrmContactId: number | null;
  lptrackerLeadId: number | null;
  lptrackerContactId: number | null;
  lptrackerProjectId: number | null;
  /** The LPTracker lead's name (the lead `call_back` creates carries it). */
  lptrackerLeadName: string | null;
}

export type RulePlannedAction =
  | { requests: RuleRequest[]; missing: null }
  /** Nothing can be sent: the record the action addresses is not known for this event. */
  | { requests: []; missing: string }
  /** `stop`, or an engine action whose requests depend on what amoCRM holds (find-or-create). */
  | { requests: []; missing: null; note: string };

const HOUR_S = 3600;

const amocrm = (method: RuleRequest['method'], path: string, body: unknown): RuleRequest => ({
  system: 'amocrm',
  method,
  path,
  body,
});
const lptracker = (method: RuleRequest['method'], path: string, body: unknown): RuleRequest => ({
  system: 'lptracker',
  method,
  path,
  body,
});

const noAmocrmLead = 'no amoCRM lead is linked to this event';
const noLptrackerLead = 'no LPTracker lead is linked to this event';

/**
 * The requests of one action for an event's records. `nowS` (unix seconds) dates a task's deadline. amoCRM lead
 * changes are shown as the engine sends them (`PATCH /api/v4/leads` with one item); adding tags also reads the
 * lead's tags first (`GET`), then writes them with the additions.
 */
export function planRuleAction(
  action: RuleAction,
  target: RuleTarget,
  nowS: number,
  engine: RulePlanEngine = {},
): RulePlannedAction {
  const leadId = target.amocrmLeadId;
  const lpLeadId = target.lptrackerLeadId;
  switch (action.type) {
    case 'stop':
      return { requests: [], missing: null, note: 'ends the chain' };
    case 'find_or_create_contact':
    case 'find_or_create_lead': {
      const contact = action.type === 'find_or_create_contact';
      const known = contact ? target.amocrmContactId : leadId;
      if (known !== null)
        return {
          requests: [],
          missing: null,
          note: `the event's amoCRM ${contact ? 'contact' : 'lead'} ${known}`,
        };
      const planned = engine.findOrCreate?.(action);
      if (!planned)
        return {
          requests: [],
          missing: null,
          note: contact
            ? 'finds the contact by phone, then e-mail (GET /api/v4/contacts?query=…); creates it when none'
            : 'finds an open lead of the contact with this name, else creates one (POST /api/v4/leads/complex)',
        };
      if ('error' in planned) return { requests: [], missing: `amoCRM would refuse it: ${planned.error}` };
      return {
        requests: planned.requests.map((request) => ({ system: 'amocrm', ...request })),
        missing: null,
      };
    }
    case 'move_stage':
      if (action.system === 'amocrm') {
        if (leadId === null) return { requests: [], missing: noAmocrmLead };
        return {
          requests: [
            amocrm('PATCH', '/api/v4/leads', [
              { id: leadId, pipeline_id: action.pipelineId, status_id: action.statusId },
            ]),
          ],
          missing: null,
        };
      }
      if (lpLeadId === null) return { requests: [], missing: noLptrackerLead };
      return {
        requests: [lptracker('PUT', `/lead/${lpLeadId}/funnel`, { funnel: action.stageId })],
        missing: null,
      };
    case 'add_tags':
      if (leadId === null) return { requests: [], missing: noAmocrmLead };
      return {
        requests: [
          amocrm('GET', `/api/v4/leads/${leadId}`, null),
          amocrm('PATCH', '/api/v4/leads', [
            { id: leadId, _embedded: { tags: action.tags.map((name) => ({ name })) } },
          ]),
        ],
        missing: null,
      };
    case 'add_note':
      if (leadId === null) return { requests: [], missing: noAmocrmLead };
      return {
        requests: [
          amocrm('POST', `/api/v4/leads/${leadId}/notes`, [
            { note_type: 'common', params: { text: action.text } },
          ]),
        ],
        missing: null,
      };
    case 'create_task': {
      if (leadId === null) return { requests: [], missing: noAmocrmLead };
      const task: Record<string, unknown> = {
        text: action.text,
        complete_till: Math.floor(nowS) + action.dueInHours * HOUR_S,
        entity_id: leadId,
        entity_type: 'leads',
      };
      if (action.responsibleUserId !== null) task.responsible_user_id = action.responsibleUserId;
      return { requests: [amocrm('POST', '/api/v4/tasks', [task])], missing: null };
    }
    case 'update_lead': {
      if (leadId === null) return { requests: [], missing: noAmocrmLead };
      const mapped = action.useMapping ? (engine.mapped ?? null) : null;
      if (action.useMapping && mapped === null && action.values.length === 0)
        return {
          requests: [],
          missing: 'no mapping applies to this event (it has no LPTracker lead with a mapping)',
        };
      return {
        requests: [amocrm('PATCH', '/api/v4/leads', [leadPatch(leadId, action.values, mapped)])],
        missing: null,
      };
    }
    case 'update_lptracker_lead': {
      if (lpLeadId === null) return { requests: [], missing: noLptrackerLead };
      const requests: RuleRequest[] = [];
      if (action.stageId !== null)
        requests.push(lptracker('PUT', `/lead/${lpLeadId}/funnel`, { funnel: action.stageId }));
      if (action.custom.length > 0) {
        const custom: Record<string, string | number> = {};
        for (const field of action.custom) custom[String(field.fieldId)] = field.value;
        requests.push(lptracker('PUT', `/lead/${lpLeadId}`, { custom }));
      }
      return { requests, missing: null };
    }
    case 'call_back': {
      if (target.lptrackerContactId === null)
        return { requests: [], missing: 'no LPTracker contact is linked to this event' };
      const body: Record<string, unknown> = { contact_id: target.lptrackerContactId };
      if (target.lptrackerLeadName) body.name = target.lptrackerLeadName;
      body.callback = true;
      return { requests: [lptracker('POST', '/lead', body)], missing: null };
    }
  }
}

/**
 * `update_lead` as one amoCRM lead item: the mapped values (`useMapping`) first, the explicit values (`lead.name`,
 * `lead.price`, `lead.custom.<id>`) on top.
 */
export function leadPatch(
  leadId: number,
  values: readonly { field: string; value: string | number | boolean }[],
  mapped: RuleMapped | null = null,
): Record<string, unknown> {
  const item: Record<string, unknown> = { id: leadId };
  let custom: { field_id: number; values: unknown[] }[] = [];
  if (mapped) {
    const lead = mapped.plan.lead;
    if (lead.name !== null) item.name = lead.name;
    if (lead.price !== null) item.price = lead.price;
    custom = lead.customFields.map((field) => ({
      field_id: field.fieldId,
      values: field.values.map((value) =>
        value.enumId !== undefined ? { enum_id: value.enumId } : { value: value.value },
      ),
    }));
  }
  for (const { field, value } of values) {
    if (field === 'lead.name') item.name = String(value);
    else if (field === 'lead.price') item.price = Number(value);
    else {
      const match = /^lead\.custom\.(\d+)$/.exec(field);
      if (!match) continue;
      const fieldId = Number(match[1]);
      custom = [
        ...custom.filter((entry) => entry.field_id !== fieldId),
        { field_id: fieldId, values: [{ value }] },
      ];
    }
  }
  if (custom.length > 0) item.custom_fields_values = custom;
  return item;
}

/** Every action of a matched rule planned in order (a dry run's `requests` are their concatenation). */
export function planRuleActions(
  actions: readonly RuleAction[],
  target: RuleTarget,
  nowS: number,
  engine: RulePlanEngine = {},
): RulePlannedAction[] {
  return actions.map((action) => planRuleAction(action, target, nowS, engine));
}
