import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import { lineOutputs, type MappingMeta } from './mapping-lines';
import { parseRef, refMatches } from './mapping-refs';
import { numberOf, templateRefs, type MappedValue } from './mapping-transforms';
import type { FieldRef, LptrackerWritePlan, MappingDocument } from './mapping.types';

type AmoCustomValues = {
  fieldId: number;
  values: { value?: string | number | boolean; enumId?: number }[];
}[];

/** What the back-flow knows of an amoCRM lead (and its main contact) when applying `amocrm_to_lptracker`. */
export interface AmoLeadSnapshot {
  name: string | null;
  price: number | null;
  pipelineId: number | null;
  statusId: number | null;
  responsibleUserId: number | null;
  tags: string[];
  customFields: AmoCustomValues;
  contact: { name: string | null; phones: string[]; emails: string[]; customFields: AmoCustomValues } | null;
}

/**
 * Applies an `amocrm_to_lptracker` mapping to one amoCRM lead (pure): the stage map gives the LPTracker stage
 * (first row whose amoCRM status, and pipeline, match), the user map the owner, lines the name and custom fields.
 * Problems (a stage, option or field gone from LPTracker) are listed, never skipped silently. With `options.only`
 * (amoCRM source refs, e.g. `lead.status`, `lead.custom.123`) only what those touch is applied.
 */
export function planLptrackerWrite(
  document: MappingDocument,
  amoLead: AmoLeadSnapshot,
  meta: MappingMeta,
  options: { only?: readonly FieldRef[] } = {},
): LptrackerWritePlan {
  const plan: LptrackerWritePlan = {
    stageId: null,
    ownerId: null,
    name: null,
    custom: {},
    written: [],
    problems: [],
  };
  const only = options.only;
  const lpt = meta.lptracker;
  if (amoLead.statusId !== null && (!only || refMatches('lead.status', only))) {
    const index = document.stageMap.findIndex(
      (row) =>
        row.amocrmStatusId === amoLead.statusId &&
        (amoLead.pipelineId === null || row.amocrmPipelineId === amoLead.pipelineId),
    );
    if (index >= 0) {
      const stageId = document.stageMap[index].lptrackerStageId;
      if (lpt && !lpt.funnel.some((stage) => stage.id === stageId)) {
        plan.problems.push({
          path: `stageMap[${index}].lptrackerStageId`,
          code: 'stageMissing',
          message: `LPTracker has no stage ${stageId}`,
        });
      } else {
        plan.stageId = stageId;
        plan.written.push({ line: -1, source: 'lead.status', target: 'lead.stage', via: 'stageMap' });
      }
    }
  }
  if (amoLead.responsibleUserId !== null && (!only || refMatches('lead.responsible', only))) {
    const index = document.userMap.findIndex((row) => row.amocrmUserId === amoLead.responsibleUserId);
    if (index >= 0) {
      const ownerId = document.userMap[index].lptrackerOwnerId;
      if (lpt && !lpt.staff.some((person) => person.id === ownerId)) {
        plan.problems.push({
          path: `userMap[${index}].lptrackerOwnerId`,
          code: 'userMissing',
          message: `LPTracker has no staff member ${ownerId}`,
        });
      } else {
        plan.ownerId = ownerId;
        plan.written.push({ line: -1, source: 'lead.responsible', target: 'lead.owner', via: 'userMap' });
      }
    }
  }
  const valuesOf = (ref: FieldRef) => amocrmValues(amoLead, meta.amocrm, ref);
  const resolve = (ref: FieldRef): string | null => {
    const values = valuesOf(ref);
    return values && values.length > 0 ? values.map(String).join(', ') : null;
  };
  document.lines.forEach((line, index) => {
    if (only) {
      const sources = line.transform.type === 'template' ? templateRefs(line.transform.template) : [];
      if (line.source !== null) sources.push(line.source);
      if (!sources.some((source) => refMatches(source, only))) return;
    }
    const path = `lines[${index}]`;
    const outputs = lineOutputs(line, path, valuesOf, resolve, meta.region ?? 'RU', plan.problems);
    if (outputs === null || outputs.length === 0) return;
    const problem = writeLptracker(plan, line.target, outputs[0], lpt);
    if (problem) plan.problems.push({ path: `${path}.target`, ...problem });
    else plan.written.push({ line: index, source: line.source, target: line.target });
  });
  return plan;
}

/** An amoCRM lead's values of a source FieldRef (enum options as their text); null when not an amoCRM field. */
export function amocrmValues(
  lead: AmoLeadSnapshot,
  meta: AmocrmMetadata | null,
  ref: FieldRef,
): MappedValue[] | null {
  const parsed = parseRef('amocrm', ref);
  if (!parsed) return null;
  const one = (value: MappedValue | null | undefined): MappedValue[] =>
    value === null || value === undefined || value === '' ? [] : [value];
  switch (parsed.kind) {
    case 'lead.name':
      return one(lead.name);
    case 'lead.price':
      return one(lead.price);
    case 'lead.tags':
      return [...lead.tags];
    case 'lead.responsible':
      return one(
        meta?.users.find((user) => user.id === lead.responsibleUserId)?.name ?? lead.responsibleUserId,
      );
    case 'lead.status': {
      const pipeline = meta?.pipelines.find((candidate) => candidate.id === lead.pipelineId);
      return one(pipeline?.statuses.find((status) => status.id === lead.statusId)?.name ?? lead.statusId);
    }
    case 'contact.name':
      return one(lead.contact?.name);
    case 'contact.phone':
      return [...(lead.contact?.phones ?? [])];
    case 'contact.email':
      return [...(lead.contact?.emails ?? [])];
    case 'lead.custom':
    case 'contact.custom': {
      const custom = parsed.kind === 'lead.custom' ? lead.customFields : (lead.contact?.customFields ?? []);
      const fields = parsed.kind === 'lead.custom' ? meta?.leadFields : meta?.contactFields;
      const enums = fields?.find((field) => field.id === parsed.id)?.enums ?? [];
      return (custom.find((field) => field.fieldId === parsed.id)?.values ?? []).flatMap((item) => {
        const text =
          item.enumId === undefined ? undefined : enums.find((option) => option.id === item.enumId)?.value;
        return one(item.value ?? text ?? item.enumId);
      });
    }
    default:
      return null;
  }
}

/** Sets one LPTracker target; a problem `{code, message}` when it cannot take the value. */
function writeLptracker(
  plan: LptrackerWritePlan,
  target: FieldRef,
  value: MappedValue,
  meta: LptrackerProjectMetadata | null,
): { code: string; message: string } | null {
  const parsed = parseRef('lptracker', target);
  const text = String(value).trim();
  switch (parsed?.kind) {
    case 'lead.name':
      plan.name = text.slice(0, 255);
      return null;
    case 'lead.stage': {
      const id = numberOf(value);
      const stage = meta?.funnel.find(
        (s) => s.id === id || s.name.trim().toLowerCase() === text.toLowerCase(),
      );
      if (!stage && (meta || id === null))
        return { code: 'stageMissing', message: `LPTracker has no stage "${text}"` };
      plan.stageId = stage?.id ?? id;
      return null;
    }
    case 'lead.owner': {
      const id = numberOf(value);
      const person = meta?.staff.find(
        (p) => p.id === id || p.name.trim().toLowerCase() === text.toLowerCase(),
      );
      if (!person && (meta || id === null))
        return { code: 'userMissing', message: `LPTracker has no staff member "${text}"` };
      plan.ownerId = person?.id ?? id;
      return null;
    }
    case 'lead.custom': {
      const field = meta?.customs.find((candidate) => candidate.id === parsed.id);
      if (meta && !field)
        return { code: 'fieldMissing', message: `LPTracker has no lead field ${parsed.id}` };
      const options = field?.options ?? [];
      if (options.length > 0) {
        const option = options.find((candidate) => candidate.trim().toLowerCase() === text.toLowerCase());
        if (!option)
          return {
            code: 'enumOptionMissing',
            message: `LPTracker field ${parsed.id} has no option "${text}"`,
          };
        plan.custom[String(parsed.id)] = option;
      } else plan.custom[String(parsed.id)] = typeof value === 'number' ? value : text;
      return null;
    }
    default:
      return { code: 'notWritable', message: `${target} cannot be written to LPTracker` };
  }
}
