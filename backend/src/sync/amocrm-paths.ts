import { AmocrmValidationError, type AmocrmValidationIssue } from '../amocrm/amocrm.problems';
import type { FieldError } from '../http/problem';
import { AmocrmRefusedProblem } from './sync.problems';

/**
 * How one entity we sent to amoCRM maps back to the request the client made, so amoCRM's validation `path`s
 * can name the client's fields.
 */
export interface AmoWriteShape {
  /** Prefix of every field of this entity in the client's request: `''`, or `contact.` for an embedded contact. */
  prefix: string;
  /** For each index of `custom_fields_values` we sent, the client's field: `phone`, `email`, `customFields[2]`. */
  customFields: readonly string[];
  /** The contact sent inside a lead (`_embedded.contacts.0`): leads/complex. */
  embeddedContact?: AmoWriteShape;
}

const PLAIN_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  first_name: 'name',
  last_name: 'name',
  price: 'price',
  status_id: 'statusId',
  pipeline_id: 'pipelineId',
  responsible_user_id: 'responsibleUserId',
};

const VALUE_FIELDS: Readonly<Record<string, string>> = {
  field_id: 'fieldId',
  field_code: 'fieldId',
  value: 'value',
  enum_id: 'enumId',
  enum_code: 'enumId',
};

/**
 * `custom_fields_values.0.values.1.enum_id` → `customFields[0].values[1].enumId`; `_embedded.tags.2.name` →
 * `tags[2]`; `_embedded.contacts.0.custom_fields_values.0.values.0.value` → `contact.phone`. Paths it cannot
 * place are answered as amoCRM wrote them.
 */
export function clientFieldOf(path: string, shape: AmoWriteShape): string {
  const parts = path.split('.').filter((part) => part !== '');
  const root = shape.prefix.replace(/\.$/, '');
  if (parts.length === 0) return root || '(entity)';
  const [head, ...rest] = parts;
  if (head === 'custom_fields_values') {
    const index = Number(rest[0]);
    const source = Number.isInteger(index) ? shape.customFields[index] : undefined;
    if (!source) return `${shape.prefix}customFields`;
    if (!source.includes('[')) return `${shape.prefix}${source}`; // phone / email: one field of ours
    return `${shape.prefix}${source}${valuePath(rest.slice(1))}`;
  }
  if (head === '_embedded') {
    const [collection, indexText, ...inner] = rest;
    if (collection === 'tags')
      return indexText === undefined ? `${shape.prefix}tags` : `${shape.prefix}tags[${indexText}]`;
    if (collection === 'contacts') {
      if (shape.embeddedContact) return clientFieldOf(inner.join('.'), shape.embeddedContact);
      return `${shape.prefix}contactId`;
    }
    return path;
  }
  const plain = PLAIN_FIELDS[head];
  return plain ? `${shape.prefix}${plain}` : path;
}

/** `values.0.value` → `.values[0].value` */
function valuePath(parts: readonly string[]): string {
  let text = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) text += `[${part}]`;
    else text += `.${VALUE_FIELDS[part] ?? part}`;
  }
  return text;
}

/** Our field errors for amoCRM's issues about one entity. */
export function clientFieldErrors(
  issues: readonly AmocrmValidationIssue[],
  shape: AmoWriteShape,
): FieldError[] {
  return issues.map((issue) => ({
    field: clientFieldOf(issue.path, shape),
    message: issue.detail || `amoCRM refused the value (${issue.code})`,
    code: issue.code,
  }));
}

/** A refused write of one entity as our 422; any other error is answered unchanged. */
export function explainAmocrmRefusal(
  error: unknown,
  shape: AmoWriteShape,
  extensions: Record<string, unknown> = {},
): unknown {
  if (!(error instanceof AmocrmValidationError)) return error;
  return new AmocrmRefusedProblem(error.issues, clientFieldErrors(error.issues, shape), extensions);
}
