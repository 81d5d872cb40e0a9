import type Redis from 'ioredis';
import type { AmocrmQuery } from './amocrm-query';
import type { AmocrmLane } from './amocrm-rate-limiter';

export interface AmocrmRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `/api/v4/contacts`, or an absolute `_links` URL on the account's own base. */
  path: string;
  query?: AmocrmQuery;
  body?: unknown;
}

export interface AmocrmResponse<T> {
  status: number;
  /** null for 204 and empty bodies. */
  data: T | null;
  amocrmRequestId: string | null;
}

/**
 * What the typed account API (AmocrmAccountApi) needs of the client, and no more: one call with the client's
 * limits, retries and token handling, the account key of a workspace's connection, and the shared Redis for
 * locks. AmocrmClient implements it; the account API depends on this interface, not on the client class.
 */
export interface AmocrmGateway {
  request<T>(workspaceId: string, lane: AmocrmLane, request: AmocrmRequest): Promise<AmocrmResponse<T>>;
  /** The account key of the workspace's connection; throws the typed errors when it is not usable. */
  accountKey(workspaceId: string): Promise<string>;
  readonly redis: Redis;
}
