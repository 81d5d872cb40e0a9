import http from 'node:http';

import type { AmoAccount } from './account';
import type { AccountRegistry } from './account-registry';
import type { GateTarget, GateVerdict } from './account-gate';
import type { ApiHandler, ApiRoutes } from './api-context';
import { ChangeLog } from './change-log';
import { registerContactRoutes } from './contacts-api';
import { ControlApi } from './control-api';
import { HttpExchange, nginxErrorPage } from './http-exchange';
import { registerLeadRoutes } from './leads-api';
import { registerMetadataRoutes } from './metadata-api';
import { registerNotesTasksRoutes } from './notes-tasks-api';
import { parseNestedQuery } from './nested-query';
import { handleConsent, handleTokenRequest } from './oauth-api';
import { httpProblem, ProblemError, statusTitle } from './problems';
import { RouteTable, splitPath } from './route-table';
import type { SandboxRuntime } from './sandbox-runtime';
import { registerUnsortedRoutes } from './unsorted-api';
import { registerWebhookRoutes } from './webhooks-api';

/**
 * The HTTP front: `/__sandbox/...` control calls, `/oauth` (consent, account chosen by client_id),
 * and `/<subdomain>/...` account calls passing through the gate (block, faults, 402, 429),
 * bearer authentication and the `/api/v4` routes.
 */
export class SandboxServer {
  readonly server: http.Server;
  private readonly apiRoutes: ApiRoutes = new RouteTable<ApiHandler>();
  private readonly control: ControlApi;

  constructor(
    private readonly registry: AccountRegistry,
    private readonly runtime: SandboxRuntime,
    private readonly log: ((line: string) => void) | undefined,
    onReset: () => void,
  ) {
    registerMetadataRoutes(this.apiRoutes);
    registerContactRoutes(this.apiRoutes);
    registerLeadRoutes(this.apiRoutes);
    registerNotesTasksRoutes(this.apiRoutes);
    registerUnsortedRoutes(this.apiRoutes);
    registerWebhookRoutes(this.apiRoutes);
    this.control = new ControlApi(registry, runtime, onReset);
    this.server = http.createServer((req, res) => {
      void this.handle(new HttpExchange(req, res));
    });
    this.server.keepAliveTimeout = 5_000;
  }

  private async handle(exchange: HttpExchange): Promise<void> {
    if (this.log) {
      const log = this.log;
      exchange.onComplete((status) => {
        log(
          `${new Date().toISOString()} ${exchange.method} ${exchange.target} ${status} ` +
            `${Date.now() - exchange.startedAt}ms ${exchange.requestId}`,
        );
      });
    }
    try {
      await this.dispatch(exchange);
      if (!exchange.answered) throw httpProblem(500, 'The sandbox produced no answer');
    } catch (error) {
      if (exchange.answered) return;
      if (error instanceof ProblemError) {
        exchange.sendProblem(error);
      } else {
        const detail = error instanceof Error ? error.message : String(error);
        exchange.sendProblem(httpProblem(500, detail));
      }
    }
  }

  private async dispatch(exchange: HttpExchange): Promise<void> {
    const segments = splitPath(exchange.url.pathname);
    if (!segments) throw httpProblem(400, 'Malformed path');
    const [first = ''] = segments;
    if (first === '__sandbox') {
      await this.control.handle(exchange, `/${segments.slice(1).join('/')}`);
      return;
    }
    if (first === 'oauth' && segments.length === 1 && exchange.method === 'GET') {
      const clientId = exchange.url.searchParams.get('client_id') ?? '';
      const account = this.registry.findByClientId(clientId);
      if (!account) throw httpProblem(404, 'No account has an integration with this client_id');
      await this.dispatchAccount(exchange, account, '/oauth');
      return;
    }
    const account = this.registry.get(first);
    if (!account) throw httpProblem(404, `Account "${first}" not found`);
    await this.dispatchAccount(exchange, account, `/${segments.slice(1).join('/')}`);
  }

  private async dispatchAccount(exchange: HttpExchange, account: AmoAccount, path: string): Promise<void> {
    const prefix = exchange.url.pathname.startsWith(`/${account.subdomain}/`) ? `/${account.subdomain}` : '';
    exchange.onComplete((status) => {
      account.requestLog.add({
        method: exchange.method,
        path: exchange.target.slice(prefix.length),
        status,
        at: exchange.startedAt,
        requestId: exchange.requestId,
        durationMs: Date.now() - exchange.startedAt,
      });
    });
    const target: GateTarget = path.startsWith('/api/') ? 'api' : 'oauth';
    if (this.answerFromGate(exchange, account.gate.check(target, Date.now()))) return;

    if (path === '/oauth2/access_token' && exchange.method === 'POST') {
      await handleTokenRequest(exchange, account, this.runtime.settings.maxBodyBytes);
      return;
    }
    if (path === '/oauth' && exchange.method === 'GET') {
      handleConsent(exchange, account);
      return;
    }
    if (target !== 'api') throw httpProblem(404, 'Not found');
    await this.dispatchApi(exchange, account, path);
  }

  /** Answers when the gate says no; false lets the call through. */
  private answerFromGate(exchange: HttpExchange, verdict: GateVerdict): boolean {
    switch (verdict.kind) {
      case 'pass':
        return false;
      case 'blocked':
        exchange.sendHtml(403, nginxErrorPage(403, 'Forbidden'));
        return true;
      case 'fault':
        if (verdict.fault === 'drop') exchange.drop();
        else if (verdict.fault === 500) exchange.sendProblem(httpProblem(500, 'Internal server error'));
        else exchange.sendHtml(verdict.fault, nginxErrorPage(verdict.fault, statusTitle(verdict.fault)));
        return true;
      case 'payment-required':
        exchange.sendProblem(httpProblem(402, 'Account is not paid. Please renew your subscription.'));
        return true;
      case 'rate-limited':
        exchange.sendProblem(httpProblem(429, 'Too many requests'));
        return true;
    }
  }

  private async dispatchApi(exchange: HttpExchange, account: AmoAccount, path: string): Promise<void> {
    const route = this.apiRoutes.lookup(exchange.method, path);
    const authorization = exchange.req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw httpProblem(401, 'Authorization header is missing or is not a Bearer token');
    const access = account.tokens.check(match[1]);
    if (!access.ok) throw httpProblem(401, access.reason);
    if (route.kind === 'not-found') throw httpProblem(404, `No route ${exchange.method} ${path}`);
    if (route.kind === 'method-not-allowed') {
      throw httpProblem(405, `Method ${exchange.method} not allowed; use ${route.allowed.join(', ')}`);
    }
    const body = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(exchange.method)
      ? await exchange.readPayload(this.runtime.settings.maxBodyBytes)
      : undefined;
    const changes = new ChangeLog();
    route.handler({
      exchange,
      account,
      params: route.params,
      query: parseNestedQuery(exchange.url.searchParams),
      body,
      actorUserId: access.userId,
      changes,
    });
    account.publish(changes);
  }
}
