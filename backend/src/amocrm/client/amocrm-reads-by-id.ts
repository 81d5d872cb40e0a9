import type { AmoListPage } from './amocrm-api.types';
import { chunk } from './amocrm-batches';
import type { AmocrmRequest, AmocrmResponse } from './amocrm-request';

/**
 * Reading many entities by id: `GET /api/v4/leads?filter[id][]=1&filter[id][]=2…&limit=250`, never one GET per
 * id. amoCRM answers at most 250 per page, so the ids go in chunks of 250 and each chunk is one request (one
 * page holds all of it). Entities amoCRM does not answer (deleted, or never existed) are simply absent.
 */

/** The most ids read in one request: amoCRM's largest page (`limit`). */
export const AMOCRM_READ_BATCH_SIZE = 250;

/** What the reads need of the account API: one call through its limiter, retries and token handling. */
export interface AmocrmRequester {
  request<T>(request: AmocrmRequest): Promise<AmocrmResponse<T>>;
}

export async function readByIds<K extends 'leads' | 'contacts', T extends { id: number }>(
  api: AmocrmRequester,
  path: string,
  key: K,
  ids: readonly number[],
  relations: readonly string[] = [],
): Promise<Map<number, T>> {
  const found = new Map<number, T>();
  for (const part of idChunks(ids)) {
    const answer = await api.request<AmoListPage<K, T>>({
      method: 'GET',
      path,
      query: {
        filter: { id: part },
        limit: AMOCRM_READ_BATCH_SIZE,
        ...(relations.length > 0 ? { with: relations.join(',') } : {}),
      },
    });
    const wanted = new Set(part);
    for (const item of answer.data?._embedded?.[key] ?? []) if (wanted.has(item.id)) found.set(item.id, item);
  }
  return found;
}

/** The distinct valid ids in chunks of at most `size`, in first-seen order. */
export function idChunks(ids: readonly number[], size = AMOCRM_READ_BATCH_SIZE): number[][] {
  const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
  return chunk(unique, size);
}
