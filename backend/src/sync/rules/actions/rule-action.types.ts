import type { JsonValue } from '../../../database/columns';
import type { SyncTrace } from '../../lptracker/lptracker-sync.types';
import type { RuleSubject } from '../rule-find-or-create';
import type { RuleTarget } from '../rule-requests';

/**
 * What one action runs against: the event's records (and the amoCRM lead's mirror row, for engine updates). The
 * target and the mirror ids are filled in by `find_or_create_*` for the actions after it.
 */
export interface RuleActionScope {
  workspaceId: string;
  target: RuleTarget;
  /** The `leads` mirror row of the amoCRM lead, when mirrored. */
  leadMirrorId: string | null;
  trace: SyncTrace;
  /** What the engine actions build from (the event's values, its LPTracker lead); null: not known to the caller. */
  subject?: RuleSubject | null;
  /** The event's settings version (the mapping version a mapping-based action applies). */
  settingsVersion?: number;
}

/** What an action did: `done` with what the system answered, or `skipped` (nothing to address) with why. */
export type RuleActionResult =
  { outcome: 'done'; answer: JsonValue } | { outcome: 'skipped'; reason: string };

/** A rule action refused for good (retrying cannot help): the event fails at once with this reason. */
export class RuleActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleActionRefused';
  }
}
