import type { LptrackerMappingEntity } from './lptracker-mapping.entity';
import type {
  AmocrmCustomFieldMeta,
  AmocrmMetadata,
  AmocrmPipelineMeta,
} from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import { amoValueKind } from './amocrm-field-values';
import type {
  MappingDirection,
  MappingDocument,
  MappingLine,
  StageMapEntry,
  UserMapEntry,
} from './mapping.types';

/** amoCRM lead fields the LPTracker `view` parts go into, by name or code (first match wins). */
const VIEW_TARGETS: { source: string; names: string[]; codes: string[] }[] = [
  {
    source: 'view.source',
    names: ['источник', 'источник трафика', 'utm_source', 'source'],
    codes: ['UTM_SOURCE'],
  },
  {
    source: 'view.campaign',
    names: ['кампания', 'рекламная кампания', 'utm_campaign', 'campaign'],
    codes: ['UTM_CAMPAIGN'],
  },
  {
    source: 'view.keyword',
    names: ['ключевое слово', 'ключевая фраза', 'utm_term', 'keyword'],
    codes: ['UTM_TERM'],
  },
];

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The mapping a project starts with, so a lead flows before anyone edits anything. LPTracker → amoCRM: contact
 * name, phones and e-mails, the lead name, the view's source/campaign/keyword into amoCRM lead text fields whose
 * name or code matches (where they exist), new leads in the main pipeline's first working stage. Both directions:
 * LPTracker stages ⇄ statuses of that pipeline with the same name (case-insensitive), staff ⇄ users by name.
 */
export function defaultDocument(
  direction: MappingDirection,
  amocrm: AmocrmMetadata | null,
  lptracker: LptrackerProjectMetadata | null,
): MappingDocument {
  const pipeline = firstPipeline(amocrm);
  const status = pipeline ? firstWorkingStatus(pipeline) : null;
  const stageMap: StageMapEntry[] = [];
  if (pipeline)
    for (const stage of lptracker?.funnel ?? []) {
      const match = pipeline.statuses.find((candidate) => same(candidate.name, stage.name));
      if (match)
        stageMap.push({
          lptrackerStageId: stage.id,
          amocrmPipelineId: pipeline.id,
          amocrmStatusId: match.id,
        });
    }
  const userMap: UserMapEntry[] = [];
  for (const person of lptracker?.staff ?? []) {
    const user = amocrm?.users.find((candidate) => same(candidate.name, person.name));
    if (user) userMap.push({ lptrackerOwnerId: person.id, amocrmUserId: user.id });
  }
  if (direction === 'amocrm_to_lptracker')
    return { lines: [], pipelineId: null, statusId: null, createAs: 'lead', stageMap, userMap };
  const lines: MappingLine[] = [
    { source: 'contact.name', target: 'contact.name', transform: { type: 'trim' } },
    { source: 'contact.phone', target: 'contact.phone', transform: { type: 'phone' } },
    { source: 'contact.email', target: 'contact.email', transform: { type: 'lowercase' } },
    { source: 'lead.name', target: 'lead.name', transform: { type: 'trim' } },
  ];
  const used = new Set<number>();
  for (const view of VIEW_TARGETS) {
    const field = matchingField(amocrm?.leadFields ?? [], view.names, view.codes, used);
    if (!field) continue;
    used.add(field.id);
    lines.push({ source: view.source, target: `lead.custom.${field.id}`, transform: { type: 'trim' } });
  }
  return {
    lines,
    pipelineId: pipeline?.id ?? null,
    statusId: status?.id ?? null,
    createAs: 'lead',
    stageMap,
    userMap,
  };
}

/** The main pipeline (else the first by sort) that is not archived. */
export function firstPipeline(amocrm: AmocrmMetadata | null): AmocrmPipelineMeta | null {
  const open = (amocrm?.pipelines ?? []).filter((pipeline) => !pipeline.isArchive);
  return open.find((pipeline) => pipeline.isMain) ?? [...open].sort((a, b) => a.sort - b.sort)[0] ?? null;
}

/** The first stage a manager works in: not «Неразобранное» (type 1), not won (142) or lost (143). */
function firstWorkingStatus(pipeline: AmocrmPipelineMeta) {
  return (
    [...pipeline.statuses]
      .sort((a, b) => a.sort - b.sort)
      .find((status) => status.type === 0 && status.id !== 142 && status.id !== 143) ?? null
  );
}

function matchingField(
  fields: AmocrmCustomFieldMeta[],
  names: string[],
  codes: string[],
  used: Set<number>,
): AmocrmCustomFieldMeta | null {
  const writable = fields.filter((field) => amoValueKind(field.type) === 'text' && !used.has(field.id));
  for (const name of names) {
    const byName = writable.find((field) => same(field.name, name));
    if (byName) return byName;
  }
  return writable.find((field) => field.code !== null && codes.includes(field.code.toUpperCase())) ?? null;
}

/** Version 1 made from the default, never edited. */
export function isUntouchedDefault(row: LptrackerMappingEntity): boolean {
  return row.version === 1 && row.origin === 'default';
}

/** The LPTracker → amoCRM version 1 made from the default without amoCRM's metadata: no pipeline, no stage or user map, nothing else. */
export function isBareDefault(row: LptrackerMappingEntity): boolean {
  const doc = row.document;
  return (
    row.direction === 'lptracker_to_amocrm' &&
    isUntouchedDefault(row) &&
    doc.pipelineId === null &&
    doc.stageMap.length === 0 &&
    doc.userMap.length === 0
  );
}
