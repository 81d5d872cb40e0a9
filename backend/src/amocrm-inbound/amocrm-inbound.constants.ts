/** Queue, job and source names of the amoCRM inbound module. */
export const AMOCRM_INBOUND_QUEUE = 'amocrm-inbound';
/** One workspace's reconciliation pass (job data: `{workspaceId}`; job id `reconcile:<workspace>`). */
export const RECONCILE_JOB = 'reconcile';
/** Repeatable: queues a reconciliation pass for every connected workspace. */
export const RECONCILE_ALL_JOB = 'reconcile-all';

/** The inbox source of amoCRM webhooks (`POST /webhooks/amocrm/:secret`). */
export const AMOCRM_WEBHOOK_SOURCE = 'amocrm';
/** The inbox source of changes found by reconciliation (fed by the worker, never by amoCRM). */
export const RECONCILE_SOURCE = 'reconcile';

/** Where a mirror row made from an amoCRM change comes from (the contacts/leads `source` column). */
export const MIRROR_SOURCE = 'amocrm';
