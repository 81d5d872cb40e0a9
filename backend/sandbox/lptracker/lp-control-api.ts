import { PLAIN_JSON, type HttpExchange } from '../amocrm/http-exchange';
import { asBoolean, asInteger, isRecord, type JsonRecord } from '../amocrm/json-input';
import { httpProblem } from '../amocrm/problems';
import { RouteTable, type RouteParams } from '../amocrm/route-table';
import type { LpAccount, LpAccountInput } from './lp-account';
import type { LpAccountRegistry } from './lp-account-registry';
import { registerLpDataRoutes } from './lp-control-data';
import { LpError } from './lp-errors';
import type { LpAccountSettings, LpRuntime } from './lp-runtime';
import { summarizeLpAccount } from './lp-summary';

export interface LpControlContext {
  exchange: HttpExchange;
  params: RouteParams;
  query: URLSearchParams;
  body: JsonRecord;
  account: () => LpAccount;
  json: (data: unknown, status?: number) => void;
}

export type LpControlRoutes = RouteTable<(context: LpControlContext) => void>;

/**
 * `/__sandbox/...`: JSON endpoints that drive the sandbox from tests and other processes. Sandbox
 * knobs are camelCase; lead data for the simulated manager uses the API's own snake_case fields.
 * Errors are problem+json with real HTTP statuses (this is not LPTracker's API).
 */
export class LpControlApi {
  private readonly routes: LpControlRoutes = new RouteTable();

  constructor(
    private readonly registry: LpAccountRegistry,
    private readonly runtime: LpRuntime,
    private readonly resetAll: () => void,
  ) {
    this.registerAccountRoutes();
    registerLpDataRoutes(this.routes);
  }

  async handle(exchange: HttpExchange, path: string): Promise<void> {
    const route = this.routes.lookup(exchange.method, path);
    if (route.kind === 'not-found')
      throw httpProblem(404, `No control route ${exchange.method} /__sandbox${path}`);
    if (route.kind === 'method-not-allowed') {
      throw httpProblem(405, `Method ${exchange.method} not allowed; use ${route.allowed.join(', ')}`);
    }
    const payload = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(exchange.method)
      ? await exchange.readPayload(this.runtime.settings.maxBodyBytes)
      : undefined;
    if (payload !== undefined && !isRecord(payload))
      throw httpProblem(400, 'Control bodies are JSON objects');
    try {
      route.handler({
        exchange,
        params: route.params,
        query: exchange.url.searchParams,
        body: payload ?? {},
        account: () => this.registry.require(route.params.key),
        json: (data, status = 200) => exchange.sendJson(status, data, PLAIN_JSON),
      });
    } catch (error) {
      if (error instanceof LpError) throw httpProblem(error.code === 404 ? 404 : 400, error.message);
      throw error;
    }
  }

  private registerAccountRoutes(): void {
    this.routes
      .add('GET', '/health', (c) => c.json({ ok: true, url: this.runtime.publicUrl }))
      .add('POST', '/reset', (c) => {
        this.resetAll();
        c.json({ accounts: this.registry.list().map((account) => account.credentials) });
      })
      .add('GET', '/accounts', (c) => c.json(this.registry.list().map((account) => account.credentials)))
      .add('POST', '/accounts', (c) => c.json(this.registry.create(readAccountInput(c.body)), 201))
      .add('GET', '/accounts/:key', (c) => c.json(summarizeLpAccount(c.account())))
      .add('DELETE', '/accounts/:key', (c) => {
        c.account();
        this.registry.remove(c.params.key);
        c.exchange.sendEmpty(204);
      })
      .add('PATCH', '/accounts/:key/settings', (c) => {
        const account = c.account();
        Object.assign(account.settings, readSettings(c.body));
        c.json(summarizeLpAccount(account));
      })
      .add('POST', '/accounts/:key/logins', (c) => {
        const login = typeof c.body.login === 'string' ? c.body.login : '';
        const password = typeof c.body.password === 'string' ? c.body.password : '';
        this.registry.addLogin(c.params.key, login, password);
        c.json({ login, password }, 201);
      })
      .add('GET', '/accounts/:key/sessions', (c) =>
        c.json(
          c
            .account()
            .sessions.live()
            .map(({ login, service, version, createdAt, lastUsedAt }) => ({
              login,
              service,
              version,
              createdAt,
              lastUsedAt,
            })),
        ),
      )
      .add('POST', '/accounts/:key/expire-tokens', (c) => {
        const login = typeof c.body.login === 'string' ? c.body.login : undefined;
        c.json({ expired: c.account().sessions.expireAll(login) });
      })
      .add('POST', '/accounts/:key/age-tokens', (c) => {
        const seconds = asInteger(c.body.seconds);
        if (seconds === undefined || seconds < 0)
          throw httpProblem(400, 'seconds must be a non-negative integer');
        c.account().sessions.age(seconds);
        c.json({ aged: seconds });
      });
  }
}

function readAccountInput(body: JsonRecord): LpAccountInput {
  const text = (key: string): string | undefined => {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw httpProblem(400, `${key} must be a string`);
    return value;
  };
  const rps = body.rps;
  if (rps !== undefined && typeof rps !== 'number') throw httpProblem(400, 'rps must be a number');
  return {
    key: text('key'),
    name: text('name'),
    login: text('login'),
    password: text('password'),
    rps,
    seed: asBoolean(body.seed) === true,
    settings: isRecord(body.settings) ? readSettings(body.settings) : undefined,
  };
}

/** The per-account knobs a body sets; anything else or out of range answers 400. */
export function readSettings(body: JsonRecord): Partial<LpAccountSettings> {
  const settings: Partial<LpAccountSettings> = {};
  for (const key of ['rps', 'tokenIdleSec'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0)) throw httpProblem(400, `${key} must be a number ≥ 0`);
    settings[key] = value;
  }
  if (body.rateLimitHttpStatus !== undefined) {
    if (body.rateLimitHttpStatus !== 200 && body.rateLimitHttpStatus !== 503) {
      throw httpProblem(400, 'rateLimitHttpStatus must be 200 or 503');
    }
    settings.rateLimitHttpStatus = body.rateLimitHttpStatus;
  }
  if (body.webhookBody !== undefined) {
    if (body.webhookBody !== 'form' && body.webhookBody !== 'json' && body.webhookBody !== 'both') {
      throw httpProblem(400, 'webhookBody must be form, json or both');
    }
    settings.webhookBody = body.webhookBody;
  }
  if (body.updateFieldsAsString !== undefined) {
    const value = asBoolean(body.updateFieldsAsString);
    if (value === undefined) throw httpProblem(400, 'updateFieldsAsString must be true or false');
    settings.updateFieldsAsString = value;
  }
  if (body.callsInWebhook !== undefined) {
    const value = asBoolean(body.callsInWebhook);
    if (value === undefined) throw httpProblem(400, 'callsInWebhook must be true or false');
    settings.callsInWebhook = value;
  }
  return settings;
}
