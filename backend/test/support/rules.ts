import { call } from './http';
import type { Fixture, FixtureContext } from './id-route-fixtures';

/** A rule that needs no CRM metadata (the access-control workspaces connect neither CRM). */
export const PLAIN_RULE = {
  name: 'Fixture rule',
  trigger: { source: 'api', events: ['lead.created'], changedFields: [] },
  conditions: { any: [{ field: 'view.source', op: 'contains', value: 'yandex' }] },
  actions: [{ type: 'add_tags', tags: ['VIP'] }, { type: 'stop' }],
};

async function createRule({ url, owner }: FixtureContext): Promise<string> {
  const res = await call(`${url}/api/v1/rules`, { token: owner.token, body: PLAIN_RULE });
  if (res.status !== 201)
    throw new Error(`creating a rule failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/**
 * Fixtures of the rule routes for the access-control walk (spread into ID_ROUTE_FIXTURES). The version is written
 * `00000001` (version 1): the walk checks that another workspace's answer names no parameter, and a bare `1`
 * occurs in any request id.
 */
export const RULES_ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/rules/:id': async (ctx) => ({ params: { id: await createRule(ctx) }, body: PLAIN_RULE }),
  '/api/v1/rules/:id/enable': async (ctx) => ({ params: { id: await createRule(ctx) } }),
  '/api/v1/rules/:id/disable': async (ctx) => ({ params: { id: await createRule(ctx) } }),
  '/api/v1/rules/:id/duplicate': async (ctx) => ({ params: { id: await createRule(ctx) } }),
  '/api/v1/rules/:id/versions': async (ctx) => ({ params: { id: await createRule(ctx) } }),
  '/api/v1/rules/:id/diff': async (ctx) => ({ params: { id: await createRule(ctx) } }),
  '/api/v1/rules/:id/versions/:version': async (ctx) => ({
    params: { id: await createRule(ctx), version: '00000001' },
  }),
  '/api/v1/rules/:id/versions/:version/restore': async (ctx) => ({
    params: { id: await createRule(ctx), version: '00000001' },
  }),
  '/api/v1/rules/:id/test': async (ctx) => ({
    params: { id: await createRule(ctx) },
    body: { source: 'lptracker', payload: { action: 'create', id: 7, project_id: 7, contact: { id: 7 } } },
  }),
  '/api/v1/rules/:id/backtest': async (ctx) => ({ params: { id: await createRule(ctx) }, body: { last: 5 } }),
};
