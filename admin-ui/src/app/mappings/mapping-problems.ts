import { problemFieldErrors } from '../core/api/field-errors';
import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';
import { ru } from '../core/i18n/ru';
import type { MappingProblem } from './mappings.models';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** Problem codes the console words itself: the keys of `mappings.problemCodes` in `ru.ts`. */
type ProblemCode = keyof (typeof ru)['mappings']['problemCodes'];

function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(ru.mappings.problemCodes, code);
}

/** A place of the document with what is wrong there, in the user's words (`detail`: the server's own text). */
export interface PlacedMessage {
  path: string;
  text: string;
  detail: string;
}

/** A problem (a broken line, a refused save) in simple words; the server's English text is kept as detail. */
export function wordProblem(problem: MappingProblem, t: Translate): PlacedMessage {
  const text = isProblemCode(problem.code) ? t(`mappings.problemCodes.${problem.code}`) : problem.message;
  return { path: problem.path, text, detail: problem.message };
}

/** The field errors of a refused save (`errors[].field` is a document path such as `lines[3].target`). */
export function saveProblems(error: unknown): MappingProblem[] {
  return problemFieldErrors(error).map((fieldError) => ({
    path: fieldError.field,
    message: fieldError.message,
    code: fieldError.code ?? '',
  }));
}

/** Whether `path` is `place` or lies inside it (`lines[3]` holds `lines[3].transform.map[0].to`). */
export function isWithin(path: string, place: string): boolean {
  return path === place || path.startsWith(`${place}.`) || path.startsWith(`${place}[`);
}

/** The messages about `place` and everything inside it. */
export function messagesAt(messages: readonly PlacedMessage[], place: string): PlacedMessage[] {
  return messages.filter((message) => isWithin(message.path, place));
}

/** The messages that name none of `places` (shown above the editor so that none is lost). */
export function unplacedMessages(
  messages: readonly PlacedMessage[],
  places: readonly string[],
): PlacedMessage[] {
  return messages.filter((message) => !places.some((place) => isWithin(message.path, place)));
}
