import { AsyncLocalStorage } from 'node:async_hooks';
import type { AmocrmLane } from '../amocrm/client/amocrm-rate-limiter';

const lanes = new AsyncLocalStorage<AmocrmLane>();

/**
 * Runs `work` with the engine's amoCRM calls in `lane` (the spreadsheet import runs its rows in `import`, so live
 * webhooks and API calls, in `interactive`, keep priority at the shared limiter). Calls made outside use
 * `interactive`, as before.
 */
export function inAmocrmLane<T>(lane: AmocrmLane, work: () => Promise<T>): Promise<T> {
  return lanes.run(lane, work);
}

/** The lane of the engine call being made: the one `inAmocrmLane` set, else `interactive`. */
export function callerLane(): AmocrmLane {
  return lanes.getStore() ?? 'interactive';
}
