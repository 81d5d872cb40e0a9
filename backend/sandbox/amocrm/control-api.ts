import type { AmoAccount, CreateAccountInput } from './account';
import { FAULT_KINDS, type FaultKind, type FaultSpec, type GateTarget } from './account-gate';
import type { AccountRegistry } from './account-registry';
import { summarizeAccount } from './account-summary';
import { PLAIN_JSON, type HttpExchange } from './http-exchange';
import { asBoolean, asInteger, isRecord, type JsonRecord } from './json-input';
import { ManagerSimulator } from './manager-simulator';
import { httpProblem } from './problems';
import type { RequestLogFilter } from './request-log';
import { RouteTable, type RouteParams } from './route-table';
import type { SandboxRuntime } from './sandbox-runtime';
import type { DeliveryFilter, DeliveryState } from './webhook-dispatcher';

interface ControlContext {
  exchange: HttpExchange;
  params: RouteParams;
  query: URLSearchParams;
  body: JsonRecord;
}

type ControlHandler = (context: ControlContext) => void;

/**
 * `/__sandbox/...`: JSON endpoints to drive the sandbox from tests in other processes. Sandbox
 * knobs are camelCase; amoCRM entity data (manager changes) uses the v4 snake_case fields.
 */
export class ControlApi {
  private readonly routes = new RouteTable<ControlHandler>();

  constructor(
    private readonly registry: AccountRegistry,
    private readonly runtime: SandboxRuntime,
    private readonly resetAll: () => void,
  ) {
    this.registerSandboxRoutes();
    this.registerAccessRoutes();
    this.registerInspectionRoutes();
    this.registerManagerRoutes();
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
    route.handler({ exchange, params: route.params, query: exchange.url.searchParams, body: payload ?? {} });
  }

  private account(context: ControlContext): AmoAccount {
    return this.registry.require(context.params.sub);
  }

  private manager(context: ControlContext): ManagerSimulator {
    return new ManagerSimulator(this.account(context));
  }

  private registerSandboxRoutes(): void {
    const json = (context: ControlContext, data: unknown, status = 200): void =>
      context.exchange.sendJson(status, data, PLAIN_JSON);
    this.routes
      .add('GET', '/health', (context) => json(context, { ok: true, url: this.runtime.publicUrl }))
      .add('POST', '/reset', (context) => {
        this.resetAll();
        json(context, { accounts: this.registry.list().map((account) => account.credentials) });
      })
      .add('GET', '/accounts', (context) =>
        json(
          context,
          this.registry.list().map((account) => account.credentials),
        ),
      )
      .add('POST', '/accounts', (context) =>
        json(context, this.registry.create(readCreateInput(context.body)), 201),
      )
      .add('GET', '/accounts/:sub', (context) => json(context, summarizeAccount(this.account(context))))
      .add('DELETE', '/accounts/:sub', (context) => {
        this.account(context);
        this.registry.remove(context.params.sub);
        context.exchange.sendEmpty(204);
      })
      .add('POST', '/accounts/:sub/reset', (context) =>
        json(context, this.registry.resetAccount(context.params.sub)),
      )
      .add('PATCH', '/accounts/:sub/settings', (context) => {
        const account = this.account(context);
        for (const key of ['rps', 'accessTokenTtlSec', 'blockAfter429s'] as const) {
          const value = context.body[key];
          if (value === undefined) continue;
          if (typeof value !== 'number' || !(value > 0))
            throw httpProblem(400, `${key} must be a positive number`);
          account.settings[key] = value;
        }
        if (typeof context.body.redirectUri === 'string') account.redirectUri = context.body.redirectUri;
        json(context, summarizeAccount(account));
      });
  }

  private registerAccessRoutes(): void {
    const json = (context: ControlContext, data: unknown): void =>
      context.exchange.sendJson(200, data, PLAIN_JSON);
    this.routes
      .add('POST', '/accounts/:sub/authorization-code', (context) => {
        const redirectUri =
          typeof context.body.redirectUri === 'string' ? context.body.redirectUri : undefined;
        json(context, this.account(context).tokens.issueCode(redirectUri));
      })
      .add('POST', '/accounts/:sub/tokens', (context) => {
        const pair = this.account(context).tokens.issuePair();
        json(context, {
          access_token: pair.accessToken,
          refresh_token: pair.refreshToken,
          expires_in: pair.expiresIn,
        });
      })
      .add('POST', '/accounts/:sub/expire-tokens', (context) => {
        const includeLongLived = asBoolean(context.body.includeLongLived) === true;
        json(context, { expired: this.account(context).tokens.expireAccessTokens(includeLongLived) });
      })
      .add('POST', '/accounts/:sub/revoke-tokens', (context) => {
        const account = this.account(context);
        if (asBoolean(context.body.longLived) !== false) account.tokens.revokeLongLived();
        if (asBoolean(context.body.oauth) === true) account.tokens.revokeOAuthTokens();
        json(context, { ok: true });
      })
      .add('POST', '/accounts/:sub/long-lived-token', (context) => {
        json(context, { longLivedToken: this.account(context).tokens.issueLongLived() });
      })
      .add('GET', '/accounts/:sub/token-calls', (context) => json(context, this.account(context).tokenCalls))
      .add('DELETE', '/accounts/:sub/token-calls', (context) => {
        this.account(context).resetTokenCalls();
        context.exchange.sendEmpty(204);
      })
      .add('POST', '/accounts/:sub/block', (context) => {
        this.account(context).gate.block();
        json(context, { blocked: true });
      })
      .add('POST', '/accounts/:sub/unblock', (context) => {
        this.account(context).gate.unblock();
        json(context, { blocked: false });
      })
      .add('POST', '/accounts/:sub/payment-required', (context) => {
        const enabled = asBoolean(context.body.enabled) ?? true;
        this.account(context).gate.paymentRequired = enabled;
        json(context, { paymentRequired: enabled });
      })
      .add('POST', '/accounts/:sub/faults', (context) => {
        const gate = this.account(context).gate;
        gate.injectFault(readFault(context.body));
        json(context, { pendingFaults: gate.pendingFaults });
      })
      .add('DELETE', '/accounts/:sub/faults', (context) => {
        this.account(context).gate.clearFaults();
        context.exchange.sendEmpty(204);
      });
  }

  private registerInspectionRoutes(): void {
    const json = (context: ControlContext, data: unknown): void =>
      context.exchange.sendJson(200, data, PLAIN_JSON);
    const includeDeleted = (context: ControlContext): boolean =>
      asBoolean(context.query.get('includeDeleted')) === true;
    this.routes
      .add('GET', '/accounts/:sub/contacts', (context) => {
        const account = this.account(context);
        const records = [...account.data.contacts.values()].filter(
          (record) => includeDeleted(context) || !record.isDeleted,
        );
        json(
          context,
          records.map((record) => account.contacts.render(record, true)),
        );
      })
      .add('GET', '/accounts/:sub/contacts/#id', (context) => {
        const account = this.account(context);
        const record = account.data.contacts.get(Number(context.params.id));
        if (!record) throw httpProblem(404, 'Contact not found');
        json(context, account.contacts.render(record, true));
      })
      .add('GET', '/accounts/:sub/leads', (context) => {
        const account = this.account(context);
        const records = [...account.data.leads.values()].filter(
          (record) => includeDeleted(context) || !record.isDeleted,
        );
        json(
          context,
          records.map((record) => account.leads.render(record, true)),
        );
      })
      .add('GET', '/accounts/:sub/leads/#id', (context) => {
        const account = this.account(context);
        const record = account.data.leads.get(Number(context.params.id));
        if (!record) throw httpProblem(404, 'Lead not found');
        json(context, account.leads.render(record, true));
      })
      .add('GET', '/accounts/:sub/webhooks', (context) => {
        const account = this.account(context);
        json(
          context,
          account.webhooks.list().map((hook) => account.webhooks.render(hook, account.id)),
        );
      })
      .add('GET', '/accounts/:sub/deliveries', (context) => {
        json(context, this.account(context).dispatcher.list(readDeliveryFilter(context.query)));
      })
      .add('POST', '/accounts/:sub/deliveries/#id/resend', (context) => {
        const delivery = this.account(context).dispatcher.resend(Number(context.params.id));
        if (!delivery) throw httpProblem(404, 'Delivery not found');
        json(context, delivery);
      })
      .add('GET', '/accounts/:sub/requests', (context) => {
        json(context, this.account(context).requestLog.list(readRequestFilter(context.query)));
      })
      .add('DELETE', '/accounts/:sub/requests', (context) => {
        this.account(context).requestLog.clear();
        context.exchange.sendEmpty(204);
      })
      // an admin deletes a custom field in amoCRM's settings (`:entity` leads or contacts)
      .add('DELETE', '/accounts/:sub/fields/:entity/#id', (context) => {
        const data = this.account(context).data;
        const entity = context.params.entity;
        if (entity !== 'leads' && entity !== 'contacts')
          throw httpProblem(400, 'entity must be leads or contacts');
        const catalog = entity === 'leads' ? data.leadFields : data.contactFields;
        if (!catalog.remove(Number(context.params.id))) throw httpProblem(404, 'No such field');
        context.exchange.sendEmpty(204);
      });
  }

  private registerManagerRoutes(): void {
    const json = (context: ControlContext, data: unknown, status = 200): void =>
      context.exchange.sendJson(status, data, PLAIN_JSON);
    const actor = (context: ControlContext): number | undefined =>
      asInteger(context.query.get('userId') ?? undefined);
    const id = (context: ControlContext): number => Number(context.params.id);
    const requiredId = (context: ControlContext, key: string): number => {
      const value = asInteger(context.body[key]);
      if (value === undefined) throw httpProblem(400, `${key} is required`);
      return value;
    };
    this.routes
      .add('POST', '/accounts/:sub/manager/contacts', (context) =>
        json(context, this.manager(context).createContact(context.body, actor(context)), 201),
      )
      .add('PATCH', '/accounts/:sub/manager/contacts/#id', (context) =>
        json(context, this.manager(context).updateContact(id(context), context.body, actor(context))),
      )
      .add('POST', '/accounts/:sub/manager/contacts/#id/responsible', (context) =>
        json(
          context,
          this.manager(context).changeContactResponsible(
            id(context),
            requiredId(context, 'responsible_user_id'),
            actor(context),
          ),
        ),
      )
      .add('DELETE', '/accounts/:sub/manager/contacts/#id', (context) => {
        this.manager(context).deleteContact(id(context), actor(context));
        context.exchange.sendEmpty(204);
      })
      .add('POST', '/accounts/:sub/manager/contacts/#id/restore', (context) =>
        json(context, this.manager(context).restoreContact(id(context), actor(context))),
      )
      .add('POST', '/accounts/:sub/manager/leads', (context) =>
        json(context, this.manager(context).createLead(context.body, actor(context)), 201),
      )
      .add('PATCH', '/accounts/:sub/manager/leads/#id', (context) =>
        json(context, this.manager(context).updateLead(id(context), context.body, actor(context))),
      )
      .add('POST', '/accounts/:sub/manager/leads/#id/status', (context) =>
        json(
          context,
          this.manager(context).changeLeadStatus(
            id(context),
            requiredId(context, 'status_id'),
            asInteger(context.body.pipeline_id),
            actor(context),
          ),
        ),
      )
      .add('POST', '/accounts/:sub/manager/unsorted/:uid/accept', (context) =>
        json(
          context,
          this.manager(context).acceptUnsorted(
            context.params.uid,
            asInteger(context.body.status_id),
            actor(context),
          ),
        ),
      )
      .add('GET', '/accounts/:sub/unsorted', (context) => {
        const account = this.account(context);
        json(context, { items: account.unsorted.list().map((record) => account.unsorted.render(record)) });
      })
      .add('POST', '/accounts/:sub/manager/leads/#id/responsible', (context) =>
        json(
          context,
          this.manager(context).changeLeadResponsible(
            id(context),
            requiredId(context, 'responsible_user_id'),
            actor(context),
          ),
        ),
      )
      .add('DELETE', '/accounts/:sub/manager/leads/#id', (context) => {
        this.manager(context).deleteLead(id(context), actor(context));
        context.exchange.sendEmpty(204);
      })
      .add('POST', '/accounts/:sub/manager/leads/#id/restore', (context) =>
        json(context, this.manager(context).restoreLead(id(context), actor(context))),
      );
  }
}

function optionalString(body: JsonRecord, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw httpProblem(400, `${key} must be a string`);
  return value;
}

function optionalNumber(body: JsonRecord, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw httpProblem(400, `${key} must be a number`);
  return value;
}

function readCreateInput(body: JsonRecord): CreateAccountInput {
  return {
    subdomain: optionalString(body, 'subdomain'),
    name: optionalString(body, 'name'),
    rps: optionalNumber(body, 'rps'),
    seed: asBoolean(body.seed) === true,
    redirectUri: optionalString(body, 'redirectUri'),
    clientId: optionalString(body, 'clientId'),
    clientSecret: optionalString(body, 'clientSecret'),
    longLivedToken: optionalString(body, 'longLivedToken'),
    accessTokenTtlSec: optionalNumber(body, 'accessTokenTtlSec'),
    blockAfter429s: optionalNumber(body, 'blockAfter429s'),
  };
}

function readFault(body: JsonRecord): FaultSpec {
  const raw = body.status ?? body.kind;
  const kind = FAULT_KINDS.find((candidate) => candidate === raw || String(candidate) === String(raw));
  if (kind === undefined) throw httpProblem(400, `status must be one of ${FAULT_KINDS.join(', ')}`);
  const count = body.count === undefined ? 1 : asInteger(body.count);
  if (count === undefined || count < 1) throw httpProblem(400, 'count must be a positive integer');
  const target = body.target ?? 'api';
  if (target !== 'api' && target !== 'oauth' && target !== 'any') {
    throw httpProblem(400, 'target must be api, oauth or any');
  }
  return { kind: kind satisfies FaultKind, count, target: target satisfies GateTarget | 'any' };
}

function readDeliveryFilter(query: URLSearchParams): DeliveryFilter {
  const state = query.get('state');
  return {
    destination: query.get('destination') ?? undefined,
    event: query.get('event') ?? undefined,
    state:
      state === 'pending' || state === 'delivered' || state === 'failed'
        ? (state satisfies DeliveryState)
        : undefined,
  };
}

function readRequestFilter(query: URLSearchParams): RequestLogFilter {
  const status = query.get('status');
  const since = query.get('since');
  return {
    method: query.get('method') ?? undefined,
    pathPrefix: query.get('path') ?? undefined,
    status: status === null ? undefined : Number(status),
    since: since === null ? undefined : Number(since),
  };
}
