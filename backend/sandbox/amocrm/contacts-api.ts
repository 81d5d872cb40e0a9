import { idParam, sendEntityPage, writeResultItem, type ApiContext, type ApiRoutes } from './api-context';
import { CONTACT_ORDER_FIELDS, type ContactCriteria } from './contacts-service';
import { parseIdSet, parseModifiedSince, parseOrdering, parseTimeRange, parseWith } from './list-query';
import { queryObject, queryStrings, queryText } from './nested-query';
import { httpProblem } from './problems';

/** `/api/v4/contacts`: list/search, get, batch create and update. */
export function registerContactRoutes(routes: ApiRoutes): void {
  routes
    .add('GET', '/api/v4/contacts', (context) => {
      const service = context.account.contacts;
      const withLeads = parseWith(context.query).has('leads');
      sendEntityPage(
        context,
        '/api/v4/contacts',
        'contacts',
        service.find(contactCriteria(context)),
        (record) => service.render(record, withLeads),
      );
    })
    .add('GET', '/api/v4/contacts/#id', (context) => {
      const service = context.account.contacts;
      const record = service.get(idParam(context));
      if (!record) throw httpProblem(404, 'Contact not found');
      context.exchange.sendJson(200, service.render(record, parseWith(context.query).has('leads')));
    })
    .add('POST', '/api/v4/contacts', (context) => {
      const { account } = context;
      const results = account.contacts.create(context.body, context.actorUserId, context.changes);
      const base = account.data.baseUrl;
      context.exchange.sendJson(200, {
        _links: { self: { href: `${base}/api/v4/contacts` } },
        _embedded: {
          contacts: results.map((result) =>
            writeResultItem(base, '/api/v4/contacts', result.record.id, { request_id: result.requestId }),
          ),
        },
      });
    })
    .add('PATCH', '/api/v4/contacts', (context) => {
      const { account } = context;
      const results = account.contacts.update(context.body, context.actorUserId, context.changes);
      const base = account.data.baseUrl;
      context.exchange.sendJson(200, {
        _links: { self: { href: `${base}/api/v4/contacts` } },
        _embedded: {
          contacts: results.map((result) =>
            writeResultItem(base, '/api/v4/contacts', result.record.id, {
              name: result.record.name,
              updated_at: result.record.updatedAt,
              request_id: result.requestId,
            }),
          ),
        },
      });
    })
    .add('PATCH', '/api/v4/contacts/#id', (context) => {
      const { account } = context;
      const [result] = account.contacts.update(
        context.body,
        context.actorUserId,
        context.changes,
        idParam(context),
      );
      context.exchange.sendJson(
        200,
        writeResultItem(account.data.baseUrl, '/api/v4/contacts', result.record.id, {
          name: result.record.name,
          updated_at: result.record.updatedAt,
        }),
      );
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
