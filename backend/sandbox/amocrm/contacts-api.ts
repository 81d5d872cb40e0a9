import type { ApiContext, ApiRoutes } from './api-context';
import { CONTACT_ORDER_FIELDS, type ContactCriteria } from './contacts-service';
import { registerEntityRoutes } from './entity-routes';
import { parseIdSet, parseModifiedSince, parseOrdering, parseTimeRange } from './list-query';
import { queryObject, queryStrings, queryText } from './nested-query';

/** `/api/v4/contacts`: list/search, get, batch create and update. */
export function registerContactRoutes(routes: ApiRoutes): void {
  registerEntityRoutes(routes, {
    collection: 'contacts',
    service: (account) => account.contacts,
    criteria: contactCriteria,
    withLinked: 'leads',
    notFound: 'Contact not found',
    updated: (record) => ({ name: record.name, updated_at: record.updatedAt }),
  });
}

function contactCriteria(context: ApiContext): ContactCriteria {
  const { query } = context;
  const filter = queryObject(query.filter) ?? {};
  const responsible = parseIdSet(filter.responsible_user_id);
  return {
    query: queryText(query.query),
    ids: parseIdSet(filter.id),
    names: filter.name === undefined ? undefined : queryStrings(filter.name),
    responsibleUserIds: responsible,
    createdAt: parseTimeRange(filter.created_at),
    updatedAt: parseTimeRange(filter.updated_at),
    modifiedSince: parseModifiedSince(context.exchange.req.headers['if-modified-since']),
    ordering: parseOrdering(query, CONTACT_ORDER_FIELDS),
  };
}
