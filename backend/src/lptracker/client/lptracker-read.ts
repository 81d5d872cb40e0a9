import type {
  LptrackerContactFieldMeta,
  LptrackerCustomFieldMeta,
  LptrackerProjectInfo,
  LptrackerStaffMeta,
  LptrackerStageMeta,
} from '../metadata/lptracker-metadata.types';

/**
 * LPTracker's list answers read defensively into our shapes: ids may come as numbers or digit strings, a list
 * may be a bare array or sit under a key, and entries without a usable id are dropped rather than guessed.
 */

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a list answer: the array itself, or the first array found among the object's values. */
export function listOf(result: unknown): Raw[] {
  const list = Array.isArray(result)
    ? result
    : isRecord(result)
      ? (Object.values(result).find((value) => Array.isArray(value)) ?? [])
      : [];
  return (list as unknown[]).filter(isRecord);
}

export function idOf(value: unknown): number | null {
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

function textOf(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

function withId<T>(entries: Raw[], build: (entry: Raw, id: number) => T): T[] {
  return entries.flatMap((entry) => {
    const id = idOf(entry.id);
    return id === null ? [] : [build(entry, id)];
  });
}

export function readProjects(result: unknown): LptrackerProjectInfo[] {
  return withId(listOf(result), (entry, id) => ({
    id,
    name: textOf(entry.name, `#${id}`),
    domain: typeof entry.domain === 'string' && entry.domain !== '' ? entry.domain : null,
  }));
}

export function readCustoms(result: unknown): LptrackerCustomFieldMeta[] {
  return withId(listOf(result), (entry, id) => ({
    id,
    name: textOf(entry.name),
    type: textOf(entry.type, 'text'),
    options: Array.isArray(entry.value) ? entry.value.map((option) => textOf(option)) : null,
  }));
}

export function readContactFields(result: unknown): LptrackerContactFieldMeta[] {
  return withId(listOf(result), (entry, id) => ({
    id,
    name: textOf(entry.name),
    type: textOf(entry.type, 'text'),
  }));
}

export function readFunnel(result: unknown): LptrackerStageMeta[] {
  return withId(listOf(result), (entry, id) => ({ id, name: textOf(entry.name) }));
}

export function readStaff(result: unknown): LptrackerStaffMeta[] {
  return withId(listOf(result), (entry, id) => ({
    id,
    name: textOf(entry.name),
    job: typeof entry.job === 'string' && entry.job !== '' ? entry.job : null,
  }));
}

/** `result.token` of `POST /login` (some answers put the token at the top of `result`, some as `result` itself). */
export function readToken(result: unknown): string | null {
  const token = isRecord(result) ? result.token : result;
  return typeof token === 'string' && token.trim() !== '' ? token : null;
}
