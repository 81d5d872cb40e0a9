import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import { amoFieldValue, AMO_MULTI_TYPES, type AmoFieldValue } from './amocrm-field-values';
import { parseRef, refMatches } from './mapping-refs';
import { lineOutputs, type MappingMeta } from './mapping-lines';
import { numberOf, templateRefs, type MappedValue } from './mapping-transforms';
import type { AmocrmWritePlan, FieldRef, MappingDocument } from './mapping.types';

export { planLptrackerWrite, type AmoLeadSnapshot } from './mapping-apply-lptracker';
export { sourceFieldsOfUpdate } from './mapping-refs';
export type { MappingMeta } from './mapping-lines';

/** Restricts a plan to what an update touched (`sourceFieldsOfUpdate`); absent: everything (a new lead). */
export interface PlanOptions {
  only?: readonly FieldRef[];
}

/**
 * The lines whose source is one of `refs` (`.*` matches every custom field of a kind), including templates
 * naming one of them. Constant lines (no source) are never touched by an update.
 */
export function linesTouched(document: MappingDocument, refs: readonly FieldRef[]): number[] {
  const touched: number[] = [];
  document.lines.forEach((line, index) => {
    const sources = line.transform.type === 'template' ? templateRefs(line.transform.template) : [];
    if (line.source !== null) sources.push(line.source);
    if (sources.some((source) => refMatches(source, refs))) touched.push(index);
  });
  return touched;
}

/**
 * Applies an `lptracker_to_amocrm` mapping to one LPTracker lead (pure). Lines that cannot be applied (a field
 * gone from amoCRM, a value that does not fit) are listed in `problems`, never skipped silently; an empty source
 * writes nothing. The stage map gives the pipeline and status when the lead's stage is mapped, the user map the
 * responsible user. With `options.only`, only the lines (and maps) those source refs touch are applied.
 */
export function planAmocrmWrite(
  document: MappingDocument,
  lead: LptrackerLead,
  meta: MappingMeta,
  options: PlanOptions = {},
): AmocrmWritePlan {
  const plan: AmocrmWritePlan = {
    contact: { name: null, phones: [], emails: [], customFields: [] },
    lead: {
      name: null,
      price: null,
      tags: [],
      responsibleUserId: null,
      pipelineId: null,
      statusId: null,
      customFields: [],
    },
    written: [],
    problems: [],
  };
  const only = options.only;
  applyMaps(document, lead, meta, plan, only);
  const touched = only ? new Set(linesTouched(document, only)) : null;
  const valuesOf = (ref: FieldRef) => lptrackerValues(lead, meta.lptracker, ref);
  const resolve = (ref: FieldRef): string | null => {
    const values = valuesOf(ref);
    return values && values.length > 0 ? values.map(String).join(', ') : null;
  };
  document.lines.forEach((line, index) => {
    if (touched && !touched.has(index)) return;
    const path = `lines[${index}]`;
    const outputs = lineOutputs(line, path, valuesOf, resolve, meta.region ?? 'RU', plan.problems);
    if (outputs === null || outputs.length === 0) return;
    if (writeAmocrm(plan, line.target, outputs, `${path}.target`, meta.amocrm, document))
      plan.written.push({ line: index, source: line.source, target: line.target });
  });
  return plan;
}

/** An LPTracker lead's values of a source FieldRef; null when the ref is not an LPTracker field. */
export function lptrackerValues(
  lead: LptrackerLead,
  meta: LptrackerProjectMetadata | null,
  ref: FieldRef,
): MappedValue[] | null {
  const parsed = parseRef('lptracker', ref);
  if (!parsed) return null;
  const one = (value: MappedValue | null | undefined): MappedValue[] =>
    value === null || value === undefined || value === '' ? [] : [value];
  switch (parsed.kind) {
    case 'lead.name':
      return one(lead.name);
    case 'lead.stage':
      return one(
        lead.stageName ?? meta?.funnel.find((stage) => stage.id === lead.stageId)?.name ?? lead.stageId,
      );
    case 'lead.owner':
      return one(meta?.staff.find((person) => person.id === lead.ownerId)?.name ?? lead.ownerId);
    case 'lead.created_at':
      return one(lead.createdAt);
    case 'contact.name':
      return one(lead.contact.name);
    case 'contact.phone':
      return [...lead.contact.phones];
    case 'contact.email':
      return [...lead.contact.emails];
    case 'contact.field':
      return []; // contact fields are not in the callback's contact
    case 'view.source':
      return one(lead.view.source);
    case 'view.campaign':
      return one(lead.view.campaign);
    case 'view.keyword':
      return one(lead.view.keyword);
    case 'lead.custom':
      return scalarsOf(lead.custom.find((field) => field.id === parsed.id)?.value);
    default:
      return null;
  }
}

/** Scalars inside an LPTracker custom value (a scalar, a list of scalars, or `{value}` / `{name}` items). */
function scalarsOf(value: unknown, depth = 0): MappedValue[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : [];
  if (typeof value === 'boolean') return [value];
  if (depth > 1 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item) => scalarsOf(item, depth + 1));
  const record = value as Record<string, unknown>;
  return scalarsOf(record.value ?? record.name, depth + 1);
}

function applyMaps(
  document: MappingDocument,
  lead: LptrackerLead,
  meta: MappingMeta,
  plan: AmocrmWritePlan,
  only: readonly FieldRef[] | undefined,
): void {
  if (lead.stageId !== null && (!only || refMatches('lead.stage', only))) {
    const index = document.stageMap.findIndex((row) => row.lptrackerStageId === lead.stageId);
    if (index >= 0) {
      const row = document.stageMap[index];
      const pipeline = meta.amocrm?.pipelines.find((candidate) => candidate.id === row.amocrmPipelineId);
      if (meta.amocrm && !pipeline?.statuses.some((status) => status.id === row.amocrmStatusId)) {
        plan.problems.push({
          path: `stageMap[${index}].amocrmStatusId`,
          code: 'statusMissing',
          message: `amoCRM has no status ${row.amocrmStatusId} in pipeline ${row.amocrmPipelineId}`,
        });
      } else {
        plan.lead.pipelineId = row.amocrmPipelineId;
        plan.lead.statusId = row.amocrmStatusId;
        plan.written.push({ line: -1, source: 'lead.stage', target: 'lead.status', via: 'stageMap' });
      }
    }
  }
  if (lead.ownerId !== null && (!only || refMatches('lead.owner', only))) {
    const index = document.userMap.findIndex((row) => row.lptrackerOwnerId === lead.ownerId);
    if (index >= 0) {
      const row = document.userMap[index];
      if (meta.amocrm && !meta.amocrm.users.some((user) => user.id === row.amocrmUserId)) {
        plan.problems.push({
          path: `userMap[${index}].amocrmUserId`,
          code: 'userMissing',
          message: `amoCRM has no user ${row.amocrmUserId}`,
        });
      } else {
        plan.lead.responsibleUserId = row.amocrmUserId;
        plan.written.push({ line: -1, source: 'lead.owner', target: 'lead.responsible', via: 'userMap' });
      }
    }
  }
}

/** Writes a line's values into the plan; false (with a problem) when the target cannot take them. */
function writeAmocrm(
  plan: AmocrmWritePlan,
  target: FieldRef,
  values: MappedValue[],
  path: string,
  meta: AmocrmMetadata | null,
  document: MappingDocument,
): boolean {
  const problem = (code: string, message: string): false => {
    plan.problems.push({ path, code, message });
    return false;
  };
  const parsed = parseRef('amocrm', target);
  if (!parsed) return problem('unknownField', `Unknown amoCRM field ${target}`);
  const first = values[0];
  const text = String(first).trim().slice(0, 255);
  switch (parsed.kind) {
    case 'contact.name':
      plan.contact.name = text;
      return true;
    case 'lead.name':
      plan.lead.name = text;
      return true;
    case 'contact.phone':
      return addAll(
        plan.contact.phones,
        values.map((value) => String(value).trim()),
      );
    case 'contact.email':
      return addAll(
        plan.contact.emails,
        values.map((value) => String(value).trim().toLowerCase()),
      );
    case 'lead.tags':
      return addAll(
        plan.lead.tags,
        values.map((value) => String(value).trim().slice(0, 100)),
      );
    case 'lead.price': {
      const price = numberOf(first);
      if (price === null) return problem('typeMismatch', `The lead price takes a number, not "${text}"`);
      plan.lead.price = Math.round(price);
      return true;
    }
    case 'lead.responsible': {
      const id = numberOf(first);
      if (id === null || (meta && !meta.users.some((user) => user.id === id)))
        return problem('userMissing', `amoCRM has no user ${text}`);
      plan.lead.responsibleUserId = id;
      return true;
    }
    case 'lead.status': {
      const id = numberOf(first);
      const pipelines = meta?.pipelines ?? [];
      const pipeline =
        pipelines.find((p) => p.id === document.pipelineId && p.statuses.some((s) => s.id === id)) ??
        pipelines.find((p) => p.statuses.some((s) => s.id === id));
      if (id === null || !pipeline) return problem('statusMissing', `amoCRM has no status ${text}`);
      plan.lead.pipelineId = pipeline.id;
      plan.lead.statusId = id;
      return true;
    }
    default: {
      const fields = parsed.kind === 'lead.custom' ? meta?.leadFields : meta?.contactFields;
      const field = fields?.find((candidate) => candidate.id === parsed.id);
      if (!field) return problem('fieldMissing', `amoCRM has no field ${parsed.id} (${target})`);
      const items: AmoFieldValue[] = [];
      for (const value of AMO_MULTI_TYPES.has(field.type) ? values : [first]) {
        const converted = amoFieldValue(field, value);
        if (!converted.ok) return problem(converted.code, converted.message);
        items.push(converted.item);
      }
      const list = parsed.kind === 'lead.custom' ? plan.lead.customFields : plan.contact.customFields;
      const existing = list.find((entry) => entry.fieldId === field.id);
      if (existing && AMO_MULTI_TYPES.has(field.type)) existing.values.push(...items);
      else if (existing) existing.values = items;
      else list.push({ fieldId: field.id, values: items });
      return true;
    }
  }
}

function addAll(list: string[], values: string[]): true {
  for (const value of values) if (value !== '' && !list.includes(value)) list.push(value);
  return true;
}
