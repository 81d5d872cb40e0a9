import type { FieldError } from '../../http/problem';
import { isDateFormat } from './mapping-transforms';
import type {
  MappingDocument,
  MappingLine,
  MappingTransform,
  StageMapEntry,
  UserMapEntry,
} from './mapping.types';
import { isPrototypeKey } from '../../http/prototype-keys';

/** Caps on a mapping document (a request beyond them is refused naming the field). */
export const MAX_LINES = 200;
export const MAX_TEMPLATE_LENGTH = 1000;
export const MAX_MAP_ROWS = 500;
const MAX_TEXT = 255;
const TRANSFORM_KEYS: Record<MappingTransform['type'], readonly string[]> = {
  none: [],
  trim: [],
  phone: [],
  lowercase: [],
  number: [],
  date: ['format'],
  enum_map: ['map'],
  constant: ['value'],
  template: ['template'],
};

type Raw = Record<string, unknown>;

/**
 * Checks the shape of a mapping document sent by a client (types, sizes, no prototype keys, no unknown keys) and
 * returns it typed, with the defaults of optional parts; or the errors, each naming its path (`lines[3].target`).
 * Metadata checks (does the field exist…) come after, in `checkDocument`.
 */
export function parseMappingDocument(body: unknown): {
  document: MappingDocument | null;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string): null => {
    errors.push({ field, code, message });
    return null;
  };
  const root = objectAt(
    body,
    'document',
    ['lines', 'pipelineId', 'statusId', 'createAs', 'stageMap', 'userMap'],
    fail,
  );
  if (!root) return { document: null, errors };
  const lines = listAt(root.lines, 'lines', MAX_LINES, fail, true)?.map((raw, index) =>
    lineAt(raw, `lines[${index}]`, fail),
  );
  const pipelineId = root.pipelineId === undefined ? null : idAt(root.pipelineId, 'pipelineId', fail, true);
  const statusId = root.statusId === undefined ? null : idAt(root.statusId, 'statusId', fail, true);
  const createAs = root.createAs ?? 'lead';
  if (createAs !== 'lead' && createAs !== 'unsorted')
    fail('createAs', 'isIn', 'createAs must be lead or unsorted');
  const stageMap = (listAt(root.stageMap ?? [], 'stageMap', MAX_MAP_ROWS, fail) ?? []).map((raw, index) =>
    rowAt(raw, `stageMap[${index}]`, ['lptrackerStageId', 'amocrmPipelineId', 'amocrmStatusId'], fail),
  );
  const userMap = (listAt(root.userMap ?? [], 'userMap', MAX_MAP_ROWS, fail) ?? []).map((raw, index) =>
    rowAt(raw, `userMap[${index}]`, ['lptrackerOwnerId', 'amocrmUserId'], fail),
  );
  const seen = new Set<number>();
  stageMap.forEach((row, index) => {
    const stage = row?.lptrackerStageId;
    if (typeof stage !== 'number') return;
    if (seen.has(stage))
      fail(`stageMap[${index}].lptrackerStageId`, 'duplicate', `LPTracker stage ${stage} is mapped twice`);
    seen.add(stage);
  });
  if (errors.length > 0 || !lines) return { document: null, errors };
  return {
    document: {
      lines: lines as MappingLine[],
      pipelineId,
      statusId,
      createAs: createAs as 'lead' | 'unsorted',
      stageMap: stageMap as unknown as StageMapEntry[],
      userMap: userMap as unknown as UserMapEntry[],
    },
    errors,
  };
}

type Fail = (field: string, code: string, message: string) => null;

function objectAt(value: unknown, path: string, keys: readonly string[], fail: Fail): Raw | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail(path, 'isObject', `${path} must be an object`);
  const raw = value as Raw;
  for (const key of Object.keys(raw)) {
    const at = path === 'document' ? key : `${path}.${key}`;
    if (isPrototypeKey(key)) return fail(at, 'forbiddenKey', `${at} is a forbidden key`);
    if (!keys.includes(key)) return fail(at, 'unknownField', `${at} is not an accepted field`);
  }
  return raw;
}

function listAt(value: unknown, path: string, max: number, fail: Fail, required = false): unknown[] | null {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) return fail(path, 'isArray', `${path} must be an array`);
  const list: unknown[] = value;
  if (list.length > max) return fail(path, 'arrayMaxSize', `${path} holds at most ${max} entries`);
  return list;
}

function idAt(value: unknown, path: string, fail: Fail, nullable = false): number | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    return fail(path, 'isPositive', `${path} must be a positive integer${nullable ? ' or null' : ''}`);
  return value;
}

function textAt(value: unknown, path: string, max: number, fail: Fail): string | null {
  if (typeof value !== 'string') return fail(path, 'isString', `${path} must be a string`);
  if (value.length > max) return fail(path, 'maxLength', `${path} is longer than ${max} characters`);
  return value;
}

function rowAt(
  raw: unknown,
  path: string,
  keys: readonly string[],
  fail: Fail,
): Record<string, number | null> | null {
  const row = objectAt(raw, path, keys, fail);
  if (!row) return null;
  return Object.fromEntries(keys.map((key) => [key, idAt(row[key], `${path}.${key}`, fail)]));
}

function lineAt(raw: unknown, path: string, fail: Fail): MappingLine | null {
  const line = objectAt(raw, path, ['source', 'target', 'transform'], fail);
  if (!line) return null;
  const source =
    line.source === null || line.source === undefined
      ? null
      : textAt(line.source, `${path}.source`, 100, fail);
  const target = textAt(line.target, `${path}.target`, 100, fail);
  const transform = transformAt(line.transform ?? { type: 'none' }, `${path}.transform`, fail);
  if (!transform || target === null) return null;
  if (source === null && transform.type !== 'constant' && transform.type !== 'template')
    return fail(
      `${path}.source`,
      'isNotEmpty',
      `${path}.source is needed unless the transform is constant or template`,
    );
  return { source, target, transform };
}

function transformAt(raw: unknown, path: string, fail: Fail): MappingTransform | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return fail(path, 'isObject', `${path} must be an object`);
  const type = (raw as Raw).type;
  if (typeof type !== 'string' || !Object.hasOwn(TRANSFORM_KEYS, type))
    return fail(
      `${path}.type`,
      'isIn',
      `${path}.type must be one of ${Object.keys(TRANSFORM_KEYS).join(', ')}`,
    );
  const kind = type as MappingTransform['type'];
  const transform = objectAt(raw, path, ['type', ...TRANSFORM_KEYS[kind]], fail);
  if (!transform) return null;
  switch (kind) {
    case 'date': {
      const format = textAt(transform.format, `${path}.format`, 40, fail);
      if (format === null) return null;
      if (!isDateFormat(format))
        return fail(
          `${path}.format`,
          'dateFormat',
          'format is unix, unix_ms, iso or a pattern of YYYY MM DD HH mm ss',
        );
      return { type: 'date', format };
    }
    case 'template': {
      const template = textAt(transform.template, `${path}.template`, MAX_TEMPLATE_LENGTH, fail);
      return template === null ? null : { type: 'template', template };
    }
    case 'constant': {
      const value = transform.value;
      if (typeof value === 'string')
        return textAt(value, `${path}.value`, MAX_TEMPLATE_LENGTH, fail) === null
          ? null
          : { type: 'constant', value };
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
        return { type: 'constant', value };
      return fail(`${path}.value`, 'isScalar', `${path}.value must be a string, a number or true/false`);
    }
    case 'enum_map': {
      const rows = listAt(transform.map, `${path}.map`, MAX_MAP_ROWS, fail, true);
      if (!rows) return null;
      const map = rows.map((row, index) => {
        const at = `${path}.map[${index}]`;
        const entry = objectAt(row, at, ['from', 'to'], fail);
        if (!entry) return null;
        const from = textAt(entry.from, `${at}.from`, MAX_TEXT, fail);
        const to =
          typeof entry.to === 'number'
            ? idAt(entry.to, `${at}.to`, fail)
            : textAt(entry.to, `${at}.to`, MAX_TEXT, fail);
        return from === null || to === null ? null : { from, to };
      });
      if (map.some((entry) => entry === null)) return null;
      return { type: 'enum_map', map: map as { from: string; to: number | string }[] };
    }
    default:
      return { type: kind };
  }
}
