import type { LptrackerCallRecord } from './client/lptracker-call-read';

/**
 * LPTracker's lead as it arrives (a callback, or a lead read back by reconciliation), parsed into plain typed data.
 * Pure: no I/O. Phones are E.164 (numbers that are not valid phones are kept apart, as sent), e-mails lower-case.
 */
export interface LptrackerLead {
  projectId: number;
  id: number;
  /** `create` | `update` | `delete` (a callback), `reconcile` (read back by reconciliation). */
  action: string;
  /** Unix milliseconds as sent (callbacks), else null. */
  actionTimestamp: string | null;
  /** What changed, as sent (array or comma-joined string); null when not sent. */
  updateFields: string[] | null;
  /** Unix seconds when sent. */
  updatedAt: number | null;
  /** When the lead was made, as sent (`dd.mm.yy HH:MM:SS`, `d.m.Y H:i` or unix seconds: the mapping's date transform reads each), else null. */
  createdAt: string | null;
  name: string | null;
  stageId: number | null;
  stageName: string | null;
  ownerId: number | null;
  contact: {
    id: number | null;
    name: string | null;
    phones: string[];
    emails: string[];
    /** Phone entries that are not valid numbers, as sent (shown, never matched on). */
    invalidPhones: string[];
  };
  view: { source: string | null; campaign: string | null; keyword: string | null };
  custom: { id: number; name: string | null; value: unknown }[];
  /** `calls_records` as sent (the lead's calls so far); absent or null when the payload carried none. */
  calls?: LptrackerCallRecord[] | null;
}
