import { sendEntityPage, type ApiRoutes } from './api-context';

/** `/api/v4/leads/unsorted`: incoming leads from forms (create, list, accept, decline). */
export function registerUnsortedRoutes(routes: ApiRoutes): void {
  routes
    .add('POST', '/api/v4/leads/unsorted/forms', (context) => {
      const { account } = context;
      const created = account.unsorted.createForms(context.body, context.actorUserId, context.changes);
      context.exchange.sendJson(200, {
        _total_items: created.length,
        _links: { self: { href: `${account.data.baseUrl}/api/v4/leads/unsorted/forms` } },
        _embedded: {
          unsorted: created.map(({ record, requestId }) => ({
            uid: record.uid,
            account_id: account.data.id,
            request_id: requestId,
            _embedded: account.unsorted.embedded(record),
          })),
        },
      });
    })
    .add('GET', '/api/v4/leads/unsorted', (context) => {
      const service = context.account.unsorted;
      sendEntityPage(context, '/api/v4/leads/unsorted', 'unsorted', service.list(), (record) =>
        service.render(record),
      );
    })
    .add('GET', '/api/v4/leads/unsorted/:uid', (context) => {
      const service = context.account.unsorted;
      const record = service.list().find((item) => item.uid === context.params.uid);
      if (!record) {
        context.exchange.sendEmpty(204);
        return;
      }
      context.exchange.sendJson(200, service.render(record));
    })
    .add('POST', '/api/v4/leads/unsorted/:uid/accept', (context) => {
      const { account } = context;
      const record = account.unsorted.accept(
        context.params.uid,
        context.body,
        context.actorUserId,
        context.changes,
      );
      context.exchange.sendJson(200, {
        uid: record.uid,
        account_id: account.data.id,
        _embedded: account.unsorted.embedded(record),
      });
    })
    .add('DELETE', '/api/v4/leads/unsorted/:uid/decline', (context) => {
      const { account } = context;
      const record = account.unsorted.decline(context.params.uid);
      context.exchange.sendJson(200, { uid: record.uid, account_id: account.data.id, _embedded: {} });
    });
}
