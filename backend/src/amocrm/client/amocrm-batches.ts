/** Batch writes: at most 50 entities per request, each with a `request_id` to match amoCRM's answer back. */

export const AMOCRM_BATCH_SIZE = 50;

/** Gives every item a `request_id` (its index in the call when it has none); ids must be unique within a call. */
export function withRequestIds<T extends { request_id?: string }>(
  items: readonly T[],
): (T & { request_id: string })[] {
  const seen = new Set<string>();
  return items.map((item, index) => {
    const requestId = item.request_id ?? String(index);
    if (seen.has(requestId)) throw new Error(`request_id "${requestId}" is used twice in one amoCRM batch`);
    seen.add(requestId);
    return { ...item, request_id: requestId };
  });
}

export function chunk<T>(items: readonly T[], size = AMOCRM_BATCH_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Pairs each sent request id with the answered item carrying it (amoCRM answers `request_id` as a string, or as a
 * list for leads/complex). Answers the request ids amoCRM left out, so the caller can report them.
 */
export function matchByRequestId<A extends { request_id?: unknown }>(
  sentRequestIds: readonly string[],
  answered: readonly A[],
): { matched: Map<string, A>; missing: string[] } {
  const byRequestId = new Map<string, A>();
  for (const item of answered) {
    const ids = Array.isArray(item.request_id) ? (item.request_id as unknown[]) : [item.request_id];
    for (const id of ids)
      if (typeof id === 'string' || typeof id === 'number') byRequestId.set(String(id), item);
  }
  const matched = new Map<string, A>();
  const missing: string[] = [];
  for (const requestId of sentRequestIds) {
    const item = byRequestId.get(requestId);
    if (item) matched.set(requestId, item);
    else missing.push(requestId);
  }
  return { matched, missing };
}
