import { describeHttpError, readProblem } from '../core/api/problem-details';
import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** The refusal codes of an upload (`errors[].code` of the problem) and their words. */
const FILE_CODES: Readonly<Record<string, TranslationKey>> = {
  wrongType: 'imports.errors.wrongType',
  wrong_type: 'imports.errors.wrongType',
  zip_bomb: 'imports.errors.zipBomb',
  unreadable: 'imports.errors.unreadable',
  empty: 'imports.errors.empty',
  no_such_sheet: 'imports.errors.noSheet',
  required: 'imports.errors.required',
};

/** The size limit in MB as the 413 problem names it («…larger than 50 MB…»), or null. */
export function limitMbOf(error: unknown): number | null {
  const detail = readProblem(error)?.detail ?? '';
  const found = /(\d+)\s*MB/.exec(detail);
  return found ? Number(found[1]) : null;
}

/** Why an upload was refused, in the user's words: too large (413), wrong type, zip bomb, damaged, empty. */
export function describeUploadError(error: unknown, t: Translate): string {
  const described = describeHttpError(error, t);
  if (described.status === 413) {
    const mb = limitMbOf(error);
    return t('imports.errors.tooLarge', { detail: mb === null ? '' : t('imports.drop.hint', { mb }) }).trim();
  }
  const problem = readProblem(error);
  for (const fieldError of problem?.errors ?? []) {
    const code = (fieldError as { code?: unknown }).code;
    const key = typeof code === 'string' ? FILE_CODES[code] : undefined;
    if (key) return t(key);
  }
  return t('imports.errors.failed', { reason: reasonOf(error, t) });
}

/** The mapping's refusals (`columns.<name>` with a code) in words; `null` when the problem names none. */
const COLUMN_CODES: Readonly<Record<string, TranslationKey>> = {
  unknownColumn: 'imports.mapping.unknownColumn',
  unknownField: 'imports.mapping.unknownField',
  duplicateField: 'imports.mapping.duplicateField',
  amocrmNotConnected: 'imports.mapping.amocrmNotConnected',
};

function mappingReason(error: unknown, t: Translate): string | null {
  const words: string[] = [];
  for (const fieldError of readProblem(error)?.errors ?? []) {
    const code = (fieldError as { code?: unknown }).code;
    const key = typeof code === 'string' ? COLUMN_CODES[code] : undefined;
    if (key && fieldError.field.startsWith('columns.'))
      words.push(t(key, { column: fieldError.field.slice('columns.'.length) }));
    else if (fieldError.field === 'projectId') words.push(t('imports.mapping.unknownProject'));
    else if (code === 'required' && fieldError.field === 'columns')
      words.push(
        t(fieldError.message.includes('call.') ? 'imports.mapping.needCall' : 'imports.mapping.needContact'),
      );
  }
  return words.length > 0 ? words.join(' ') : null;
}

/**
 * The reason of any other failed call: a refused column mapping in words, else the server's detail for a refused
 * request (its words are plain), else the console's general message (network, rights, server error).
 */
export function reasonOf(error: unknown, t: Translate): string {
  const mapping = mappingReason(error, t);
  if (mapping) return mapping;
  const described = describeHttpError(error, t);
  const fieldMessages = Object.values(described.fieldErrors);
  if (described.status === 400 && fieldMessages.length > 0) return fieldMessages.join('; ');
  if ((described.status === 400 || described.status === 409) && described.detail) return described.detail;
  return described.message;
}
