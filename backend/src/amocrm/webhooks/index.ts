/** Incoming amoCRM webhooks: the bounded form parser and the typed normaliser (pure functions). */
export { parseAmocrmWebhookForm, type AmocrmWebhookPayload } from './parse-amocrm-webhook-form';
export {
  normaliseAmocrmWebhook,
  type AmocrmWebhookAction,
  type AmocrmWebhookChange,
  type AmocrmWebhookCustomField,
  type AmocrmWebhookEntity,
  type AmocrmWebhookFieldValue,
  type AmocrmWebhookNote,
  type NormalisedAmocrmWebhook,
} from './normalise-amocrm-webhook';
export { FormParseError, type FormParseErrorCode } from '../../http/nested-form';
