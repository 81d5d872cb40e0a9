import type { FieldError } from '../../http/problem';
import { checkRuleAgainstMetadata } from './rule-check';
import type { RuleMetadata } from './rule-fields';
import { parseRuleDocument, type ParsedRule } from './rule-parse';

/** The shape check and then the metadata check of a rule body (pure): the parsed rule, or the errors with paths. */
export function validateRuleBody(
  body: unknown,
  meta: RuleMetadata,
  prefix = '',
): { document: ParsedRule['document']; errors: FieldError[] } {
  const parsed = parseRuleDocument(body, prefix);
  if (!parsed.document) return { document: null, errors: parsed.input.errors };
  const errors = checkRuleAgainstMetadata(parsed.document, meta, prefix);
  return errors.length > 0 ? { document: null, errors } : { document: parsed.document, errors: [] };
}
