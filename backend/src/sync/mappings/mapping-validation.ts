import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import { amoValueKind } from './amocrm-field-values';
import { parseRef, type MappingSystem } from './mapping-refs';
import { templateRefs } from './mapping-transforms';
import type {
  FieldRef,
  MappingDirection,
  MappingDocument,
  MappingLine,
  MappingProblem,
} from './mapping.types';

export interface ValidationMeta {
  amocrm: AmocrmMetadata | null;
  lptracker: LptrackerProjectMetadata | null;
}

/** LPTracker fields the parsed callback lead does not carry (the contact's own fields). */
const NOT_DELIVERED = ['contact.field'];
const isDelivered = (ref: FieldRef): boolean =>
  !NOT_DELIVERED.includes(parseRef('lptracker', ref)?.kind ?? '');

/** Targets LPTracker lets the back-flow write. */
const LPTRACKER_WRITABLE = new Set(['lead.name', 'lead.stage', 'lead.owner', 'lead.custom']);

/**
 * Checks a (well-shaped) document against both metadata caches: unknown fields, custom fields not in the cache,
 * targets that cannot take the source's kind of value without a transform (text into a number field…), enum
 * options, pipelines, statuses, stages and users that do not exist. The same checks make the "broken" list of a
 * saved mapping when a field is deleted later. Pure.
 */
export function checkDocument(
  document: MappingDocument,
  direction: MappingDirection,
  meta: ValidationMeta,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const [from, to]: MappingSystem[] =
    direction === 'lptracker_to_amocrm' ? ['lptracker', 'amocrm'] : ['amocrm', 'lptracker'];
  document.lines.forEach((line, index) => {
    const path = `lines[${index}]`;
    const sources: [FieldRef, string][] = line.source === null ? [] : [[line.source, `${path}.source`]];
    if (line.transform.type === 'template')
      for (const ref of templateRefs(line.transform.template))
        sources.push([ref, `${path}.transform.template`]);
    for (const [ref, at] of sources)
      if (checkRef(from, ref, at, meta, add) && from === 'lptracker' && !isDelivered(ref))
        add(at, 'notDelivered', `LPTracker callbacks do not carry ${ref}, so it cannot be mapped yet`);
    if (!checkRef(to, line.target, `${path}.target`, meta, add)) return;
    if (to === 'amocrm') checkAmocrmTarget(line, path, meta.amocrm, add);
    else checkLptrackerTarget(line, path, meta.lptracker, add);
  });
  if (direction === 'lptracker_to_amocrm' && meta.amocrm) {
    const pipeline = meta.amocrm.pipelines.find((candidate) => candidate.id === document.pipelineId);
    if (document.pipelineId !== null && !pipeline)
      add('pipelineId', 'pipelineMissing', `amoCRM has no pipeline ${document.pipelineId}`);
    const statuses = (pipeline ? [pipeline] : meta.amocrm.pipelines).flatMap((p) => p.statuses);
    if (document.statusId !== null && !statuses.some((status) => status.id === document.statusId))
      add('statusId', 'statusMissing', `amoCRM has no status ${document.statusId} in that pipeline`);
  }
  document.stageMap.forEach((row, index) => {
    const path = `stageMap[${index}]`;
    if (!meta.lptracker)
      add(`${path}.lptrackerStageId`, 'metadataMissing', 'LPTracker metadata is not loaded');
    else if (!meta.lptracker.funnel.some((stage) => stage.id === row.lptrackerStageId))
      add(`${path}.lptrackerStageId`, 'stageMissing', `LPTracker has no stage ${row.lptrackerStageId}`);
    if (!meta.amocrm)
      return add(`${path}.amocrmStatusId`, 'metadataMissing', 'amoCRM metadata is not loaded');
    const pipeline = meta.amocrm.pipelines.find((candidate) => candidate.id === row.amocrmPipelineId);
    if (!pipeline)
      add(`${path}.amocrmPipelineId`, 'pipelineMissing', `amoCRM has no pipeline ${row.amocrmPipelineId}`);
    else if (!pipeline.statuses.some((status) => status.id === row.amocrmStatusId))
      add(
        `${path}.amocrmStatusId`,
        'statusMissing',
        `amoCRM pipeline ${pipeline.id} has no status ${row.amocrmStatusId}`,
      );
  });
  document.userMap.forEach((row, index) => {
    const path = `userMap[${index}]`;
    if (meta.lptracker && !meta.lptracker.staff.some((person) => person.id === row.lptrackerOwnerId))
      add(`${path}.lptrackerOwnerId`, 'userMissing', `LPTracker has no staff member ${row.lptrackerOwnerId}`);
    if (meta.amocrm && !meta.amocrm.users.some((user) => user.id === row.amocrmUserId))
      add(`${path}.amocrmUserId`, 'userMissing', `amoCRM has no user ${row.amocrmUserId}`);
  });
  return problems;
}

type Add = (path: string, code: string, message: string) => void;

/** Whether a ref names a field of `system` that the cache knows (custom ids included); adds the problem if not. */
function checkRef(
  system: MappingSystem,
  ref: FieldRef,
  path: string,
  meta: ValidationMeta,
  add: Add,
): boolean {
  const parsed = parseRef(system, ref);
  const name = system === 'amocrm' ? 'amoCRM' : 'LPTracker';
  if (!parsed) {
    add(path, 'unknownField', `${ref} is not a ${name} field`);
    return false;
  }
  if (parsed.id === null) return true;
  const ids =
    system === 'amocrm'
      ? (parsed.kind === 'lead.custom' ? meta.amocrm?.leadFields : meta.amocrm?.contactFields)?.map(
          (f) => f.id,
        )
      : (parsed.kind === 'lead.custom' ? meta.lptracker?.customs : meta.lptracker?.contactFields)?.map(
          (f) => f.id,
        );
  if (!ids) {
    add(path, 'metadataMissing', `${name} metadata is not loaded, so ${ref} cannot be checked`);
    return false;
  }
  if (!ids.includes(parsed.id)) {
    add(path, 'fieldMissing', `${name} has no field ${parsed.id} (${ref})`);
    return false;
  }
  return true;
}

/** The values a line can give: constants and enum-map targets as they are; null when they depend on the source. */
function fixedOutputs(line: MappingLine): (string | number | boolean)[] | null {
  if (line.transform.type === 'constant') return [line.transform.value];
  if (line.transform.type === 'enum_map') return line.transform.map.map((row) => row.to);
  return null;
}

function outputPath(line: MappingLine, path: string, index: number): string {
  return line.transform.type === 'enum_map'
    ? `${path}.transform.map[${index}].to`
    : `${path}.transform.value`;
}

function checkAmocrmTarget(line: MappingLine, path: string, meta: AmocrmMetadata | null, add: Add): void {
  const parsed = parseRef('amocrm', line.target);
  if (!parsed) return;
  const fixed = fixedOutputs(line);
  const type = line.transform.type;
  const numeric = type === 'number' || (fixed !== null && fixed.every((value) => typeof value === 'number'));
  const mismatch = (what: string) =>
    add(
      `${path}.transform`,
      'typeMismatch',
      `${line.target} takes ${what}: use a ${whatTransform(what)} transform`,
    );
  if (parsed.kind === 'lead.price' && !numeric) return mismatch('a number');
  if (parsed.kind === 'lead.responsible' || parsed.kind === 'lead.status') {
    if (fixed === null) return mismatch(parsed.kind === 'lead.status' ? 'a status id' : 'a user id');
    const known =
      parsed.kind === 'lead.status'
        ? (meta?.pipelines.flatMap((p) => p.statuses.map((s) => s.id)) ?? [])
        : (meta?.users.map((u) => u.id) ?? []);
    fixed.forEach((value, index) => {
      if (typeof value !== 'number' || !known.includes(value))
        add(
          outputPath(line, path, index),
          parsed.kind === 'lead.status' ? 'statusMissing' : 'userMissing',
          `amoCRM has no ${parsed.kind === 'lead.status' ? 'status' : 'user'} ${String(value)}`,
        );
    });
    return;
  }
  if (parsed.id === null) return;
  const fields = parsed.kind === 'lead.custom' ? meta?.leadFields : meta?.contactFields;
  const field = fields?.find((candidate) => candidate.id === parsed.id);
  if (field) checkAmocrmField(field, line, path, numeric, add);
}

function checkAmocrmField(
  field: AmocrmCustomFieldMeta,
  line: MappingLine,
  path: string,
  numeric: boolean,
  add: Add,
) {
  const kind = amoValueKind(field.type);
  const named = `amoCRM field ${field.id} (${field.name})`;
  if (kind === null)
    return add(
      `${path}.target`,
      'unsupportedType',
      `${named} has the type ${field.type}, which a mapping cannot set`,
    );
  const fixed = fixedOutputs(line);
  if (kind === 'number' && !numeric)
    return add(`${path}.transform`, 'typeMismatch', `${named} is numeric: use a number transform`);
  if (
    kind === 'date' &&
    line.transform.type !== 'date' &&
    !(fixed ?? ['']).every((value) => typeof value === 'number')
  )
    return add(`${path}.transform`, 'typeMismatch', `${named} is a date: use a date transform`);
  if (kind === 'date' && line.transform.type === 'date' && line.transform.format !== 'unix')
    return add(`${path}.transform.format`, 'typeMismatch', `${named} is a date: write it as unix`);
  if (kind === 'enum' && fixed !== null) {
    const enums = field.enums ?? [];
    fixed.forEach((value, index) => {
      const known = enums.some((option) =>
        typeof value === 'number'
          ? option.id === value
          : option.value.trim().toLowerCase() === String(value).trim().toLowerCase(),
      );
      if (!known)
        add(outputPath(line, path, index), 'enumOptionMissing', `${named} has no option ${String(value)}`);
    });
  }
}

function checkLptrackerTarget(
  line: MappingLine,
  path: string,
  meta: LptrackerProjectMetadata | null,
  add: Add,
): void {
  const parsed = parseRef('lptracker', line.target);
  if (!parsed) return;
  if (!LPTRACKER_WRITABLE.has(parsed.kind))
    return add(`${path}.target`, 'notWritable', `${line.target} cannot be written to LPTracker`);
  const fixed = fixedOutputs(line);
  if (!meta || fixed === null) return;
  const known = (value: string | number | boolean, items: { id: number; name: string }[]) =>
    items.some(
      (item) => item.id === value || item.name.trim().toLowerCase() === String(value).trim().toLowerCase(),
    );
  fixed.forEach((value, index) => {
    const at = outputPath(line, path, index);
    if (parsed.kind === 'lead.stage' && !known(value, meta.funnel))
      add(at, 'stageMissing', `LPTracker has no stage ${String(value)}`);
    if (parsed.kind === 'lead.owner' && !known(value, meta.staff))
      add(at, 'userMissing', `LPTracker has no staff member ${String(value)}`);
    if (parsed.kind === 'lead.custom') {
      const options = meta.customs.find((field) => field.id === parsed.id)?.options ?? [];
      if (
        options.length > 0 &&
        !options.some((option) => option.trim().toLowerCase() === String(value).trim().toLowerCase())
      )
        add(at, 'enumOptionMissing', `LPTracker field ${parsed.id} has no option ${String(value)}`);
    }
  });
}

function whatTransform(what: string): string {
  return what === 'a number' ? 'number' : 'constant or enum_map';
}
