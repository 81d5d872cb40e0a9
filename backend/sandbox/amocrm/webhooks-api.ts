import type { ApiRoutes } from './api-context';
import { isRecord } from './json-input';
import { queryObject, queryText } from './nested-query';
import { httpProblem } from './problems';
import { nowSeconds } from './sandbox-runtime';

/** `/api/v4/webhooks`: list (204 when none), subscribe (twice = two hooks), unsubscribe by destination. */
export function registerWebhookRoutes(routes: ApiRoutes): void {
  routes
    .add('GET', '/api/v4/webhooks', (context) => {
      const { account } = context;
      const destination = queryText(queryObject(context.query.filter)?.destination);
      const hooks = account.webhooks.list(destination);
      if (hooks.length === 0) {
        context.exchange.sendEmpty(204);
        return;
      }
      context.exchange.sendJson(200, {
        _total_items: hooks.length,
        _links: { self: { href: `${account.data.baseUrl}/api/v4/webhooks` } },
        _embedded: { webhooks: hooks.map((hook) => account.webhooks.render(hook, account.id)) },
      });
    })
    .add('POST', '/api/v4/webhooks', (context) => {
      const { account } = context;
      const hook = account.webhooks.add(context.body, context.actorUserId, nowSeconds());
      context.exchange.sendJson(200, account.webhooks.render(hook, account.id));
    })
    .add('DELETE', '/api/v4/webhooks', (context) => {
      const destination = isRecord(context.body) ? context.body.destination : undefined;
      if (typeof destination !== 'string' || destination === '') {
        throw httpProblem(400, 'destination is required');
      }
      context.account.webhooks.removeByDestination(destination);
      context.exchange.sendEmpty(204);
    });
}
