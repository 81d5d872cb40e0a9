/** The LPTracker API sandbox: an in-memory stand-in for LPTracker for tests and the demo mode. */
export {
  startLpTrackerSandbox,
  DEMO_LPTRACKER_ACCOUNT,
  type LpTrackerSandbox,
  type LpTrackerSandboxOptions,
} from './lp-sandbox';
export type { CallbackCall, LpAccountCredentials, LpAccountInput } from './lp-account';
export { LpAccountHandle, type LpEntityJson, type LpManagerSimulator } from './lp-account-handle';
export type { LpAccountSummary } from './lp-summary';
export type { CallbackDelivery, CallbackDeliveryFilter } from './lp-callback-dispatcher';
export type {
  CustomFieldType,
  LpCallbackUrl,
  LpContactField,
  LpCustomField,
  LpProject,
  LpStaff,
  LpStage,
} from './lp-records';
export type { LpRequestEntry, LpRequestFilter } from './lp-request-log';
export type { LpSession } from './lp-sessions';
export { DEFAULT_LP_SETTINGS, type LpAccountSettings, type LpSandboxSettings } from './lp-runtime';
