/** The inbox source of LPTracker's callbacks: `POST /webhooks/lptracker/:secret`. */
export const LPTRACKER_WEBHOOK_SOURCE = 'lptracker';
/** The inbox source of leads that reconciliation found changed in LPTracker (fed through the intake). */
export const LPTRACKER_RECONCILE_SOURCE = 'lptracker-reconcile';
/** Leads one delivery may carry (LPTracker sends one; a reconcile page carries up to 100). */
export const MAX_LEADS_PER_DELIVERY = 100;
/** Leads asked for per page of `GET /lead/{project_id}/list`. */
export const RECONCILE_PAGE_SIZE = 100;
/** Pages one reconcile pass reads per project at most (the rest waits for the next pass). */
export const RECONCILE_MAX_PAGES = 50;
/** Seconds of overlap with the previous pass (clocks and late writes). */
export const RECONCILE_OVERLAP_SECONDS = 60;
/** Queue of the scheduled reconciliation (worker processes only). */
export const LPTRACKER_INBOUND_QUEUE = 'lptracker-inbound';
/** One job: a reconcile pass over every workspace with LPTracker connected. */
export const RECONCILE_ALL_LPTRACKER_JOB = 'reconcile-all';
