import { listOf } from '../../lptracker/client/lptracker-read';

/** One callback entry of a project, as `GET /project/{id}/callback-url` lists it. */
export interface CallbackEntry {
  name: string | null;
  url: string;
}

/** Our callback on one project: registered or not, how many other callbacks the project keeps. */
export interface ProjectCallbacks {
  projectId: number;
  /** null: LPTracker could not be asked (see error). */
  registered: boolean | null;
  /** Callbacks of other integrations (or older URLs of ours), kept untouched. */
  others: number | null;
  error: string | null;
}

/** The entries of a callback list (bare array or envelope result); entries without a URL are left out. Pure. */
export function callbacksOf(result: unknown): CallbackEntry[] {
  return listOf(result).flatMap((item) => {
    const url = typeof item.url === 'string' ? item.url : '';
    if (url === '') return [];
    return [{ name: typeof item.name === 'string' ? item.name : null, url }];
  });
}

export function projectCallbacks(
  projectId: number,
  entries: CallbackEntry[],
  ours: string,
): ProjectCallbacks {
  return {
    projectId,
    registered: entries.some((entry) => entry.url === ours),
    others: entries.filter((entry) => entry.url !== ours).length,
    error: null,
  };
}
