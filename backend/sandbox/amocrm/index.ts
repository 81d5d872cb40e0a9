/** The amoCRM API v4 sandbox: an in-memory stand-in for amoCRM for tests and the demo mode. */
export { startAmoSandbox, DEMO_ACCOUNT, type AmoSandbox, type AmoSandboxOptions } from './amo-sandbox';
export type { AmoAccountCredentials, CreateAccountInput, AccountSettings } from './account';
export { AmoAccountHandle } from './account-handle';
export type { AccountSummary } from './account-summary';
export type { FaultKind, FaultSpec } from './account-gate';
export type { ManagerSimulator } from './manager-simulator';
export type {
  AmoUser,
  ContactJson,
  CustomFieldDefinition,
  CustomFieldValueJson,
  LeadJson,
  Pipeline,
  PipelineStatus,
} from './entity-records';
export type { RequestLogEntry, RequestLogFilter } from './request-log';
export type { TokenCallCounters } from './oauth-tokens';
export type { DeliveryFilter, WebhookDelivery } from './webhook-dispatcher';
export type { WebhookJson } from './webhook-subscriptions';
export { WEBHOOK_EVENTS } from './webhook-subscriptions';
export { DEFAULT_SANDBOX_SETTINGS, type SandboxSettings } from './sandbox-runtime';
