import {
  parseNestedForm,
  type NestedFormLimits,
  type NestedFormObject,
  type NestedFormOptions,
} from '../../http/nested-form';

/**
 * The body of an amoCRM webhook: `application/x-www-form-urlencoded` with PHP-style nested keys
 * (`leads[status][0][id]=1&account[subdomain]=demo`), read by the service's one form parser
 * (`src/http/nested-form.ts`: no prototype keys, bounded size, key count, depth and key length, index-keyed
 * groups as arrays without holes, values as sent). Throws FormParseError when the body is refused.
 */

/** The parsed body: `{leads?: {status?: [...]}, contacts?: …, account?: {id, subdomain, _links}}`. */
export type AmocrmWebhookPayload = NestedFormObject;

/** amoCRM's `linked_leads_id` is keyed by lead id, not by position: it stays an object. */
const AMOCRM_FORM: NestedFormOptions = { keyedGroups: new Set(['linked_leads_id']) };

export function parseAmocrmWebhookForm(
  rawBody: Buffer | string,
  limits?: Partial<NestedFormLimits>,
): AmocrmWebhookPayload {
  return parseNestedForm(rawBody, limits ? { ...limits, ...AMOCRM_FORM } : AMOCRM_FORM);
}
