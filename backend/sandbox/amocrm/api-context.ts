import type { AmoAccount } from './account';
import type { ChangeLog } from './change-log';
import type { HttpExchange } from './http-exchange';
import { listLinks, parsePaging, slicePage } from './list-query';
import type { QueryObject } from './nested-query';
import type { RouteParams, RouteTable } from './route-table';

/** What an `/api/v4` handler gets: an authorised call to one account. */
export interface ApiContext {
  exchange: HttpExchange;
  account: AmoAccount;
  params: RouteParams;
  query: QueryObject;
  body: unknown;
  /** The user the access token belongs to. */
  actorUserId: number;
  /** Changes made by this call; they become webhooks after the answer is sent. */
  changes: ChangeLog;
}

export type ApiHandler = (context: ApiContext) => void;

export type ApiRoutes = RouteTable<ApiHandler>;

/** A numeric route parameter (`#id` patterns guarantee the digits). */
export function idParam(context: ApiContext, name = 'id'): number {
  return Number(context.params[name]);
}

/**
 * Answers one page of an entity list: 204 with no body when the page is empty, else
 * `{_page, _links:{self, next?, prev?}, _embedded:{<key>: [...]}}` with absolute hrefs.
 */
export function sendEntityPage<T>(
  context: ApiContext,
  path: string,
  key: string,
  records: T[],
  render: (record: T) => unknown,
): void {
  const paging = parsePaging(context.query);
  const page = slicePage(records, paging);
  if (page.items.length === 0) {
    context.exchange.sendEmpty(204);
    return;
  }
  context.exchange.sendJson(200, {
    _page: paging.page,
    _links: listLinks(
      context.account.data.baseUrl,
      path,
      context.exchange.url.searchParams,
      paging,
      page.hasNext,
    ),
    _embedded: { [key]: page.items.map(render) },
  });
}

/** `{id, request_id?, updated_at?, _links}` items of a write answer. */
export function writeResultItem(
  baseUrl: string,
  path: string,
  id: number,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return { id, ...extra, _links: { self: { href: `${baseUrl}${path}/${id}` } } };
}
