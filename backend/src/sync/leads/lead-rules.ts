import { createHash } from 'node:crypto';
import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import type {
  AmocrmMetadata,
  AmocrmPipelineMeta,
  AmocrmStatusMeta,
} from '../../amocrm/metadata/amocrm-metadata.types';
import type { FieldError } from '../../http/problem';
import { isOpenStatus } from '../../leads/lead-status';

/** Where a lead is in amoCRM: a pipeline and one of its statuses. */
export interface Placement {
  pipeline: AmocrmPipelineMeta;
  status: AmocrmStatusMeta;
}

/** Lead names compare trimmed and ignoring case (as the database's collation does). */
export function sameLeadName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('ru') === b.trim().toLocaleLowerCase('ru');
}

/** A short, stable key of a lead name for lock names. */
export function leadNameKey(name: string): string {
  return createHash('sha256').update(name.trim().toLocaleLowerCase('ru')).digest('base64url').slice(0, 22);
}

/**
 * The lead to reuse among a contact's amoCRM leads: open (not won/lost), not deleted, with the same name; the
 * most recently created when several are. Undefined when none fits: a new lead is created.
 */
export function pickReusableLead(leads: readonly AmoLead[], name: string): AmoLead | undefined {
  return leads
    .filter(
      (lead) => lead.is_deleted !== true && isOpenStatus(lead.status_id) && sameLeadName(lead.name, name),
    )
    .sort((a, b) => b.created_at - a.created_at || b.id - a.id)[0];
}

/** The first working stage of a pipeline: regular (not incoming), not won or lost, lowest sort. */
export function firstStage(pipeline: AmocrmPipelineMeta): AmocrmStatusMeta | undefined {
  const ordered = [...pipeline.statuses].sort((a, b) => a.sort - b.sort);
  return ordered.find((status) => status.type === 0 && isOpenStatus(status.id)) ?? ordered[0];
}

export function mainPipeline(metadata: AmocrmMetadata): AmocrmPipelineMeta | undefined {
  return metadata.pipelines.find((pipeline) => pipeline.isMain) ?? metadata.pipelines[0];
}

/**
 * Where a lead goes, checked against the metadata. New leads (`current` undefined): the named pipeline (else the
 * main one) and the named status (else its first working stage); a status without a pipeline is looked for in
 * the main pipeline first. Updates: a status alone must be in the lead's current pipeline, a pipeline alone
 * puts the lead in its first working stage. Errors name `pipelineId` / `statusId` (a status of another pipeline
 * says so).
 */
export function resolvePlacement(
  metadata: AmocrmMetadata,
  wanted: { pipelineId?: number; statusId?: number },
  current?: { pipelineId: number | null },
): { placement?: Placement; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let pipeline: AmocrmPipelineMeta | undefined;
  if (wanted.pipelineId !== undefined) {
    pipeline = metadata.pipelines.find((candidate) => candidate.id === wanted.pipelineId);
    if (!pipeline) {
      errors.push({
        field: 'pipelineId',
        code: 'unknownPipeline',
        message: `amoCRM has no pipeline ${wanted.pipelineId}`,
      });
      return { errors };
    }
    if (pipeline.isArchive) {
      errors.push({
        field: 'pipelineId',
        code: 'archivedPipeline',
        message: `pipeline ${wanted.pipelineId} (${pipeline.name}) is archived`,
      });
      return { errors };
    }
  }
  if (wanted.statusId !== undefined) {
    const holders = metadata.pipelines.filter((candidate) =>
      candidate.statuses.some((status) => status.id === wanted.statusId),
    );
    if (holders.length === 0) {
      errors.push({
        field: 'statusId',
        code: 'unknownStatus',
        message: `amoCRM has no status ${wanted.statusId}`,
      });
      return { errors };
    }
    const currentPipeline =
      current?.pipelineId != null
        ? metadata.pipelines.find((candidate) => candidate.id === current.pipelineId)
        : undefined;
    const knownPipeline = current?.pipelineId != null;
    const target =
      pipeline ??
      currentPipeline ??
      (knownPipeline ? undefined : (holders.find((candidate) => candidate.isMain) ?? holders[0]));
    const status = target?.statuses.find((candidate) => candidate.id === wanted.statusId);
    if (!target || !status) {
      const where = target ? `pipeline ${target.id} (${target.name})` : 'the lead’s pipeline';
      errors.push({
        field: 'statusId',
        code: 'otherPipeline',
        message: `status ${wanted.statusId} belongs to pipeline ${holders.map((holder) => holder.id).join(', ')}, not to ${where}: send its pipelineId too`,
      });
      return { errors };
    }
    return { placement: { pipeline: target, status }, errors };
  }
  if (!pipeline) {
    if (current) return { errors }; // nothing to move
    pipeline = mainPipeline(metadata);
    if (!pipeline) {
      errors.push({ field: 'pipelineId', code: 'unknownPipeline', message: 'amoCRM has no pipeline' });
      return { errors };
    }
  }
  const status = firstStage(pipeline);
  if (!status) {
    errors.push({
      field: 'pipelineId',
      code: 'unknownPipeline',
      message: `pipeline ${pipeline.id} has no status`,
    });
    return { errors };
  }
  return { placement: { pipeline, status }, errors };
}

/** A lead's pipeline and status by name (null when the metadata does not know them). */
export interface PlacementNames {
  pipeline: string | null;
  status: string | null;
}

/** The status's and pipeline's names from the metadata, for responses. */
export function placementNames(
  metadata: AmocrmMetadata | null,
  pipelineId: number | null,
  statusId: number | null,
): PlacementNames {
  const pipeline =
    pipelineId === null ? undefined : metadata?.pipelines.find((candidate) => candidate.id === pipelineId);
  const status =
    statusId === null ? undefined : pipeline?.statuses.find((candidate) => candidate.id === statusId);
  return { pipeline: pipeline?.name ?? null, status: status?.name ?? null };
}
