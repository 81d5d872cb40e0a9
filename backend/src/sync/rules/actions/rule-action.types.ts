import type { JsonValue } from '../../../database/columns';
import type { SyncTrace } from '../../lptracker/lptracker-sync.types';
import type { RuleTarget } from '../rule-requests';

/** What one action runs against: the event's records (and the amoCRM lead's mirror row, for engine updates). */
export interface RuleActionScope {
  workspaceId: string;
  target: RuleTarget;
  /** The `leads` mirror row of the amoCRM lead, when mirrored. */
  leadMirrorId: string | null;
  trace: SyncTrace;
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
