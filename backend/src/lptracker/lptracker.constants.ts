/** Queue and job names of the LPTracker module, and how the integration names itself to LPTracker. */
export const LPTRACKER_QUEUE = 'lptracker';
/** Hourly: reloads the metadata of every enabled project of every connected workspace. */
export const REFRESH_LPTRACKER_METADATA_JOB = 'refresh-metadata';
export const REFRESH_LPTRACKER_METADATA_EVERY_MS = 3_600_000;

/** The `service` sent with every login: LPTracker shows it on every action the integration performs. */
export const LPTRACKER_SERVICE_NAME = 'amoCRM ⇄ LPTracker integration';
