import type { JsonValue } from '../../database/columns';

/**
 * Where the sync writes its trace: the inbox's processing context fits it (the engine does not import the inbox).
 */
export interface SyncTrace {
  step<T>(name: string, work: () => Promise<T> | T, detail?: JsonValue): Promise<T>;
  note(name: string, detail?: JsonValue): void;
}

/** One run of the sync for an LPTracker lead. */
export interface LptrackerSyncRun {
  /** The settings version the event is applied with (it picks the mapping version). */
  settingsVersion: number;
  trace: SyncTrace;
}

/** What `apply` did with the lead. */
export type LptrackerSyncResult =
  | { outcome: 'created'; linkId: string; amocrmLeadId: number; amocrmContactId: number | null }
  | { outcome: 'updated'; linkId: string; amocrmLeadId: number }
  | { outcome: 'skipped'; reason: 'filtered' | 'echo'; detail: string };

/**
 * An amoCRM or LPTracker refusal of the data itself (retrying cannot help): the inbound side fails the event at
 * once with this reason.
 */
export class LptrackerSyncRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LptrackerSyncRefused';
  }
}
