import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { CreateContactDto } from '../../contacts/dto/contact.dto';
import { phoneSearchDigits } from '../../contacts/phone';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { checkIdentity } from '../contacts/contact-identity';
import { checkContactCustomFields, prepareContact } from '../contacts/contact-writes';
import { leadCreateErrors, prepareLead, type LeadCreateInput } from '../leads/lead-writes';
import { MAX_TEMPLATE_OUTPUT, templateRefs } from '../mappings/mapping-transforms';
import type { AmocrmWritePlan, MappingDocument } from '../mappings/mapping.types';
import type { UpdateLeadDto } from '../../leads/dto/lead.dto';
import type { RuleValue } from './rule-values';
import type { RuleAction } from './rule.types';

/**
 * What the engine actions of a rule (`find_or_create_contact`, `find_or_create_lead`, `update_lead` with
 * `useMapping`) build from the event (pure): the contact to find by phone / e-mail or create, the lead to create,
 * the mapped lead values. The live run (`FindOrCreateActions`, `AmocrmLeadActions`) sends them through the engine;
 * a dry run shows the requests they make (`engineRequests`), from the same inputs.
 */
export interface RuleSubject {
  /** The LPTracker lead of an LPTracker event (what the mapping reads), else null. */
  lptrackerLead: LptrackerLead | null;
  /** The values of the event as rules read them (`contact.phone`, `view.source`…: name templates, the contact). */
  values: Readonly<Record<string, RuleValue>>;
}

/** The `lptracker_to_amocrm` mapping applied to the subject's LPTracker lead. */
export interface RuleMapped {
  projectId: number;
  version: number;
  document: MappingDocument;
  plan: AmocrmWritePlan;
}

type FindOrCreateLead = Extract<RuleAction, { type: 'find_or_create_lead' }>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.]{0,99})\}/g;

const textsOf = (value: RuleValue | undefined): string[] => {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => String(item).trim()).filter((item) => item !== '');
};

/** `{contact.name} — {view.source}` over the event's values (lists joined by «, »); no code is evaluated. */
export function renderNameTemplate(template: string, values: Readonly<Record<string, RuleValue>>): string {
  const text = template.replace(PLACEHOLDER, (_all, ref: string) => textsOf(values[ref]).join(', '));
  return text.slice(0, MAX_TEMPLATE_OUTPUT).trim();
}

/** The fields a name template names (for validation). */
export const nameTemplateRefs = templateRefs;

/** The contact to find (mapped phone / e-mail first, else the event's) and to create when none is found. */
export function contactInputOf(subject: RuleSubject, mapped: RuleMapped | null): CreateContactDto {
  const plan = mapped?.plan.contact;
  const phone = plan?.phones[0] ?? textsOf(subject.values['contact.phone'])[0];
  const email = plan?.emails[0] ?? textsOf(subject.values['contact.email'])[0];
  const name = plan?.name ?? textsOf(subject.values['contact.name'])[0] ?? phone ?? email ?? 'Контакт';
  return {
    name: name.slice(0, 255),
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(plan && plan.customFields.length > 0 ? { customFields: plan.customFields } : {}),
  };
}

/**
 * The lead `find_or_create_lead` finds (an open lead of the contact with this name) or creates: the action's
 * pipeline / stage / responsible / name template win over the mapping's (its plan, then its pipeline and stage).
 */
export function leadInputOf(
  action: FindOrCreateLead,
  subject: RuleSubject,
  mapped: RuleMapped | null,
): LeadCreateInput {
  const plan = mapped?.plan.lead ?? null;
  const placedByMap = plan !== null && plan.statusId !== null;
  const pipelineId =
    action.pipelineId ?? (placedByMap ? plan.pipelineId : (mapped?.document.pipelineId ?? null));
  const statusId =
    action.statusId ??
    (action.pipelineId !== null ? null : placedByMap ? plan.statusId : (mapped?.document.statusId ?? null));
  const templated =
    action.nameTemplate === null ? '' : renderNameTemplate(action.nameTemplate, subject.values);
  const name =
    templated ||
    plan?.name ||
    textsOf(subject.values['lptracker.name'])[0] ||
    textsOf(subject.values['lead.name'])[0] ||
    `Сделка: ${textsOf(subject.values['contact.name'])[0] ?? 'по правилу'}`;
  const responsible = action.responsibleUserId ?? plan?.responsibleUserId ?? null;
  return {
    name: name.slice(0, 255),
    ...(pipelineId !== null ? { pipelineId } : {}),
    ...(statusId !== null ? { statusId } : {}),
    ...(plan && plan.price !== null ? { price: plan.price } : {}),
    ...(plan && plan.tags.length > 0 ? { tags: plan.tags } : {}),
    ...(plan && plan.customFields.length > 0 ? { customFields: plan.customFields } : {}),
    ...(responsible !== null ? { responsibleUserId: responsible } : {}),
  };
}

/** `update_lead` with `useMapping`: the mapped lead values (name, price, custom fields), explicit values on top. */
export function mappedLeadUpdate(mapped: RuleMapped): UpdateLeadDto {
  const lead = mapped.plan.lead;
  return {
    ...(lead.name !== null ? { name: lead.name } : {}),
    ...(lead.price !== null ? { price: lead.price } : {}),
    ...(lead.customFields.length > 0 ? { customFields: lead.customFields } : {}),
  };
}

/** A request the engine makes for a find-or-create (`when`: sent only if the lookups found nothing). */
export interface EngineRequest {
  method: 'GET' | 'POST';
  path: string;
  body: unknown;
  when?: 'none found';
}

/**
 * The requests a find-or-create makes, as the engine sends them (the contact's lookups by phone digits, then
 * e-mail; the create: the contact alone, a lead linked to a known contact (read first when `contactMirrored` is
 * false), or lead + contact in `leads/complex`).
 * `error` when amoCRM's metadata refuses the input (the live run fails the same way).
 */
export function engineRequests(
  kind: 'contact' | 'lead',
  contactInput: CreateContactDto,
  leadInput: LeadCreateInput | null,
  knownContactId: number | null,
  metadata: AmocrmMetadata,
  region: Parameters<typeof checkIdentity>[1],
  contactMirrored = true,
): { requests: EngineRequest[] } | { error: string } {
  const lookups: EngineRequest[] = [];
  let contactAmo: unknown = null;
  if (knownContactId === null) {
    const checked = checkIdentity(contactInput, region);
    const identity = checked.identity ?? { phone: null, email: null };
    if (identity.phone)
      lookups.push({
        method: 'GET',
        path: `/api/v4/contacts?query=${phoneSearchDigits(identity.phone)}`,
        body: null,
      });
    if (identity.email)
      lookups.push({
        method: 'GET',
        path: `/api/v4/contacts?query=${encodeURIComponent(identity.email)}`,
        body: null,
      });
    const fields = checkContactCustomFields(contactInput.customFields, metadata, 'contact.customFields');
    if (fields.errors.length > 0)
      return { error: fields.errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
    contactAmo = prepareContact(contactInput.name, identity, fields.fields, 'contact.').amo;
  }
  if (kind === 'contact')
    return {
      requests: [
        ...lookups,
        { method: 'POST', path: '/api/v4/contacts', body: [contactAmo], when: 'none found' },
      ],
    };
  if (leadInput === null) return { error: 'no lead to create' };
  const errors = leadCreateErrors(leadInput, metadata);
  if (errors.length > 0) return { error: errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
  const lead = prepareLead(leadInput, metadata).amo;
  if (knownContactId !== null)
    return {
      requests: [
        // a contact amoCRM just told of is not mirrored yet: the live run reads it first
        ...(contactMirrored
          ? []
          : [{ method: 'GET' as const, path: `/api/v4/contacts/${knownContactId}`, body: null }]),
        { method: 'GET', path: `/api/v4/contacts/${knownContactId}?with=leads`, body: null },
        {
          method: 'POST',
          path: '/api/v4/leads',
          body: [
            { ...lead, _embedded: { ...lead._embedded, contacts: [{ id: knownContactId, is_main: true }] } },
          ],
          when: 'none found',
        },
      ],
    };
  return {
    requests: [
      ...lookups,
      {
        method: 'POST',
        path: '/api/v4/leads/complex',
        body: [{ ...lead, _embedded: { ...lead._embedded, contacts: [contactAmo] } }],
        when: 'none found',
      },
    ],
  };
}
