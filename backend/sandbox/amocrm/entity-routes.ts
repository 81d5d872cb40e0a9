import type { AmoAccount } from './account';
import { idParam, sendEntityPage, writeResultItem, type ApiContext, type ApiRoutes } from './api-context';
import type { ChangeLog } from './change-log';
import { parseWith } from './list-query';
import { httpProblem } from './problems';

/** What the five routes need of a contacts or leads service. */
export interface EntityRoutesService<R extends { id: number }, C> {
  find(criteria: C): R[];
  get(id: number): R | undefined;
  render(record: R, withLinked: boolean): unknown;
  create(body: unknown, actorUserId: number, changes: ChangeLog): { record: R; requestId: string }[];
  update(
    body: unknown,
    actorUserId: number,
    changes: ChangeLog,
    pathId?: number,
  ): { record: R; requestId: string }[];
}

export interface EntityRoutes<R extends { id: number }, C> {
  /** `contacts` or `leads`: the path under `/api/v4` and the key of `_embedded`. */
  collection: string;
  service(account: AmoAccount): EntityRoutesService<R, C>;
  /** The list's filters, sorting and search, read from the query. */
  criteria(context: ApiContext): C;
  /** The `with` value that embeds the linked entities (`leads` of a contact, `contacts` of a lead). */
  withLinked: string;
  /** The 404 detail of `GET …/{id}`. */
  notFound: string;
  /** What amoCRM answers of each updated record besides its id (and, in a batch, its request_id). */
  updated(record: R): Record<string, unknown>;
}

/**
 * `/api/v4/<collection>`: list/search, get, batch create, batch update and update one. Contacts and leads answer
 * alike; what differs is given by `entity`.
 */
export function registerEntityRoutes<R extends { id: number }, C>(
  routes: ApiRoutes,
  entity: EntityRoutes<R, C>,
): ApiRoutes {
  const path = `/api/v4/${entity.collection}`;
  const withLinked = (context: ApiContext): boolean => parseWith(context.query).has(entity.withLinked);
  /** The answer of a batch write: each record's id, `fields(record)`, request_id and link. */
  const sendWritten = (
    context: ApiContext,
    results: { record: R; requestId: string }[],
    fields: (record: R) => Record<string, unknown>,
  ): void => {
    const base = context.account.data.baseUrl;
    context.exchange.sendJson(200, {
      _links: { self: { href: `${base}${path}` } },
      _embedded: {
        [entity.collection]: results.map((result) =>
          writeResultItem(base, path, result.record.id, {
            ...fields(result.record),
            request_id: result.requestId,
          }),
        ),
      },
    });
  };
  return routes
    .add('GET', path, (context) => {
      const service = entity.service(context.account);
      const linked = withLinked(context);
      sendEntityPage(context, path, entity.collection, service.find(entity.criteria(context)), (record) =>
        service.render(record, linked),
      );
    })
    .add('GET', `${path}/#id`, (context) => {
      const service = entity.service(context.account);
      const record = service.get(idParam(context));
      if (!record) throw httpProblem(404, entity.notFound);
      context.exchange.sendJson(200, service.render(record, withLinked(context)));
    })
    .add('POST', path, (context) => {
      const service = entity.service(context.account);
      sendWritten(context, service.create(context.body, context.actorUserId, context.changes), () => ({}));
    })
    .add('PATCH', path, (context) => {
      const service = entity.service(context.account);
      sendWritten(
        context,
        service.update(context.body, context.actorUserId, context.changes),
        entity.updated,
      );
    })
    .add('PATCH', `${path}/#id`, (context) => {
      const [result] = entity
        .service(context.account)
        .update(context.body, context.actorUserId, context.changes, idParam(context));
      context.exchange.sendJson(
        200,
        writeResultItem(context.account.data.baseUrl, path, result.record.id, entity.updated(result.record)),
      );
    });
}
