/** Incoming amoCRM webhooks: the bounded form parser and the typed normaliser (pure functions). */
export {
  parseAmocrmWebhookForm,
  WEBHOOK_FORM_LIMITS,
  type AmocrmWebhookPayload,
  type WebhookFormLimits,
  type WebhookFormObject,
  type WebhookFormValue,
} from './parse-amocrm-webhook-form';
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
export { WebhookParseError, type WebhookParseErrorCode } from './webhook-parse.error';
