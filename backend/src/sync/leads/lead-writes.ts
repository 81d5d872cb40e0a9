import type { AmoLeadInput, AmoLeadUpdate, AmoTagInput } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { CreateLeadDto, UpdateLeadDto } from '../../leads/dto/lead.dto';
import type { LeadEntity } from '../../leads/lead.entity';
import { isOpenStatus } from '../../leads/lead-status';
import type { LeadData } from '../../leads/leads.repository';
import type { FieldError } from '../../http/problem';
import type { AmoWriteShape } from '../amocrm-paths';
import {
  applyCustomFieldValues,
  echoOfCustomFields,
  prepareCustomFields,
  type PreparedCustomField,
} from '../custom-fields';
import type { EchoValue } from '../echo-fingerprint';
import { resolvePlacement, type Placement } from './lead-rules';

/**
 * What the engine writes to amoCRM for a lead (pure steps of find-or-create and update), what it keeps in the
 * mirror after an update, and what it records for the echo guard.
 */

/**
 * A lead to create as the engine takes it: the API's input, and for the engine's own callers (rules) the amoCRM
 * responsible user (not part of the public API body).
 */
export type LeadCreateInput = CreateLeadDto & { responsibleUserId?: number };

/** A lead to create, checked against the metadata and converted for amoCRM. */
export interface PreparedLead {
  name: string;
  placement: Placement;
  price?: number;
  tags?: string[];
  customFields: PreparedCustomField[];
  /** Without contacts and request_id. */
  amo: AmoLeadInput;
  shape: AmoWriteShape;
}

/** The problems of a lead to create (placement, custom fields) against a metadata snapshot. */
export function leadCreateErrors(input: CreateLeadDto, metadata: AmocrmMetadata): FieldError[] {
  return [
    ...resolvePlacement(metadata, { pipelineId: input.pipelineId, statusId: input.statusId }).errors,
    ...prepareCustomFields(input.customFields, metadata.leadFields, 'customFields').errors,
  ];
}

/** The lead to create, from an input `leadCreateErrors` found no problem in. */
export function prepareLead(input: LeadCreateInput, metadata: AmocrmMetadata): PreparedLead {
  const placement = resolvePlacement(metadata, {
    pipelineId: input.pipelineId,
    statusId: input.statusId,
  }).placement!;
  const customFields = prepareCustomFields(input.customFields, metadata.leadFields, 'customFields').fields;
  const tags = input.tags ? uniqueTags(input.tags) : undefined;
  const values = customFields.map((field) => field.amo);
  const amo: AmoLeadInput = {
    name: input.name,
    pipeline_id: placement.pipeline.id,
    status_id: placement.status.id,
    ...(input.price !== undefined ? { price: input.price } : {}),
    ...(input.responsibleUserId !== undefined ? { responsible_user_id: input.responsibleUserId } : {}),

    ...(values.length > 0 ? { custom_fields_values: values } : {}),
    ...(tags && tags.length > 0 ? { _embedded: { tags: tags.map((name): AmoTagInput => ({ name })) } } : {}),
  };
  return {
    name: input.name,
    placement,
    price: input.price,
    tags,
    customFields,
    amo,
    shape: { prefix: '', customFields: customFields.map((field) => field.source) },
  };
}

/** What an update asks for, checked against the metadata. */
export interface LeadChange {
  name?: string;
  price?: number;
  placement?: Placement;
  customFields: PreparedCustomField[];
  /** `tags` (replace) without repeats. */
  tags?: string[];
  addTags?: string[];
}

/** The problems of an update (the move, custom fields) for a lead in `pipelineId`. */
export function leadUpdateErrors(
  input: UpdateLeadDto,
  pipelineId: number | null,
  metadata: AmocrmMetadata,
): FieldError[] {
  return [
    ...(isMove(input) ? placementOfUpdate(input, pipelineId, metadata).errors : []),
    ...prepareCustomFields(input.customFields, metadata.leadFields, 'customFields').errors,
  ];
}

/** The update, from an input `leadUpdateErrors` found no problem in. */
export function leadChangeOf(
  input: UpdateLeadDto,
  pipelineId: number | null,
  metadata: AmocrmMetadata,
): LeadChange {
  return {
    name: input.name,
    price: input.price,
    placement: isMove(input) ? placementOfUpdate(input, pipelineId, metadata).placement : undefined,
    customFields: prepareCustomFields(input.customFields, metadata.leadFields, 'customFields').fields,
    tags: input.tags ? uniqueTags(input.tags) : undefined,
    addTags: input.addTags,
  };
}

function isMove(input: UpdateLeadDto): boolean {
  return input.pipelineId !== undefined || input.statusId !== undefined;
}

function placementOfUpdate(
  input: UpdateLeadDto,
  pipelineId: number | null,
  metadata: AmocrmMetadata,
): ReturnType<typeof resolvePlacement> {
  return resolvePlacement(
    metadata,
    { pipelineId: input.pipelineId, statusId: input.statusId },
    { pipelineId },
  );
}

/** The tags to write for `addTags`: the current ones and the additions; undefined when none is new. */
export function mergedTags(current: readonly string[], additions: readonly string[]): string[] | undefined {
  const merged = uniqueTags([...current, ...additions]);
  return merged.length > current.length ? merged : undefined;
}

/** The update to send to amoCRM; null when nothing changes. */
export function buildLeadWrite(
  amocrmId: number,
  change: LeadChange,
  tags: string[] | undefined,
): AmoLeadUpdate | null {
  const { placement, customFields } = change;
  const update: AmoLeadUpdate = {
    id: amocrmId,
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(placement ? { pipeline_id: placement.pipeline.id, status_id: placement.status.id } : {}),
    ...(change.price !== undefined ? { price: change.price } : {}),
    ...(customFields.length > 0 ? { custom_fields_values: customFields.map((field) => field.amo) } : {}),
    ...(tags !== undefined ? { _embedded: { tags: tags.map((name): AmoTagInput => ({ name })) } } : {}),
  };
  return Object.keys(update).length === 1 ? null : update;
}

/** The mirror row's changes after amoCRM took the update (a lead moved out of won/lost opens again). */
export function mirrorChangesOfUpdate(
  lead: LeadEntity,
  update: AmoLeadUpdate,
  change: LeadChange,
  tags: string[] | undefined,
  now: Date,
): Partial<LeadData> {
  const { placement, customFields } = change;
  return {
    ...(update.name !== undefined ? { name: update.name } : {}),
    ...(placement
      ? {
          pipelineId: placement.pipeline.id,
          statusId: placement.status.id,
          status: placement.status.name,
          closedAt: isOpenStatus(placement.status.id)
            ? null
            : isOpenStatus(lead.statusId)
              ? now
              : lead.closedAt,
        }
      : {}),
    ...(update.price !== undefined ? { price: update.price } : {}),
    ...(customFields.length > 0
      ? {
          customFields: applyCustomFieldValues(
            lead.customFields,
            customFields.map((field) => field.local),
          ),
        }
      : {}),
    ...(tags !== undefined ? { tags } : {}),
    syncedAt: now,
  };
}

/** Tag names without repeats (ignoring case), first spelling kept. */
export function uniqueTags(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const name of names.map((tag) => tag.trim()).filter((tag) => tag !== '')) {
    const key = name.toLocaleLowerCase('ru');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(name);
  }
  return result;
}

/** What we wrote to a lead, as the echo guard compares it. */
export function echoFieldsOfLead(written: {
  name?: string;
  statusId?: number;
  pipelineId?: number;
  price?: number;
  tags?: string[];
  customFields: readonly PreparedCustomField[];
}): Record<string, EchoValue> {
  return {
    ...(written.name !== undefined ? { name: written.name } : {}),
    ...(written.statusId !== undefined ? { status_id: written.statusId } : {}),
    ...(written.pipelineId !== undefined ? { pipeline_id: written.pipelineId } : {}),
    ...(written.price !== undefined ? { price: written.price } : {}),
    ...(written.tags !== undefined ? { tags: written.tags } : {}),
    ...echoOfCustomFields(written.customFields.map((field) => field.local)),
  };
}
