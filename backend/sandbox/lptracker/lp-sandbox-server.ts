import http from 'node:http';

import { HttpExchange, PLAIN_JSON } from '../amocrm/http-exchange';
import { isRecord } from '../amocrm/json-input';
import { httpProblem, ProblemError } from '../amocrm/problems';
import { splitPath } from '../amocrm/route-table';
import type { LpAccount } from './lp-account';
import type { LpAccountRegistry } from './lp-account-registry';
import { buildApiRoutes, type LpApiRoutes } from './lp-api-routes';
import type { LpControlApi } from './lp-control-api';
import { LpError, success } from './lp-errors';
import { optionalText } from './lp-input';
import type { LpRuntime } from './lp-runtime';

/** What the request counters learn about a call while it is handled. */
interface CallRecord {
  account?: LpAccount;
  route?: string;
  login: string | null;
  errorCode: number | null;
}

/**
 * The HTTP front: `/__sandbox/...` control calls (problem+json errors), `POST /login`, and every
 * other call authenticated by the `token` header, limited per login, answered in LPTracker's
 * envelope (errors with HTTP 200).
 */
export class LpSandboxServer {
  readonly server: http.Server;
  private readonly routes: LpApiRoutes = buildApiRoutes();

  constructor(
    private readonly registry: LpAccountRegistry,
    private readonly runtime: LpRuntime,
    private readonly control: LpControlApi,
    private readonly log: ((line: string) => void) | undefined,
  ) {
    this.server = http.createServer((req, res) => {
      void this.handle(new HttpExchange(req, res));
    });
    this.server.keepAliveTimeout = 5_000;
  }

  private async handle(exchange: HttpExchange): Promise<void> {
    const call: CallRecord = { login: null, errorCode: null };
    exchange.onComplete((status) => {
      this.log?.(
        `${new Date().toISOString()} ${exchange.method} ${exchange.target} ${status}` +
          `${call.errorCode === null ? '' : ` error ${call.errorCode}`} ${Date.now() - exchange.startedAt}ms`,
      );
      call.account?.requests.add({
        method: exchange.method,
        path: exchange.target,
        route: call.route ?? `? ${exchange.url.pathname}`,
        httpStatus: status,
        errorCode: call.errorCode,
        login: call.login,
        at: exchange.startedAt,
      });
    });
    const segments = splitPath(exchange.url.pathname) ?? [];
    if (segments[0] === '__sandbox') {
      await this.handleControl(exchange, `/${segments.slice(1).join('/')}`);
      return;
    }
    try {
      exchange.sendJson(200, await this.dispatch(exchange, call), PLAIN_JSON);
    } catch (error) {
      const lpError =
        error instanceof LpError
          ? error
          : error instanceof ProblemError
            ? new LpError(error.status, error.message)
            : new LpError(500, error instanceof Error ? error.message : String(error));
      call.errorCode = lpError.code;
      exchange.sendJson(lpError.httpStatus, lpError.envelope, PLAIN_JSON);
    }
  }

  private async handleControl(exchange: HttpExchange, path: string): Promise<void> {
    try {
      await this.control.handle(exchange, path);
      if (!exchange.answered) throw httpProblem(500, 'The sandbox produced no answer');
    } catch (error) {
      if (exchange.answered) return;
      exchange.sendProblem(
        error instanceof ProblemError
          ? error
          : httpProblem(500, error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /** Answers the JSON to send with HTTP 200 (an envelope, or a bare array for some lists). */
  private async dispatch(exchange: HttpExchange, call: CallRecord): Promise<unknown> {
    const path = exchange.url.pathname.replace(/\/+$/, '') || '/';
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(exchange.method)
      ? await exchange.readPayload(this.runtime.settings.maxBodyBytes)
      : undefined;
    if (path === '/login' && exchange.method === 'POST') return success(this.login(body, call));

    const token = String(exchange.req.headers.token ?? '').trim();
    if (token === '') throw new LpError(401, 'Token is required: send it in the "token" header');
    const account = this.registry.findByToken(token);
    call.account = account;
    if (!account) throw new LpError(401, 'Token is invalid');
    const check = account.sessions.check(token, Date.now(), account.settings.tokenIdleSec);
    if (!check.ok) throw new LpError(401, check.reason);
    const { session } = check;
    call.login = session.login;
    if (path === '/logout' && exchange.method === 'POST') {
      call.route = 'POST /logout';
      account.sessions.logout(token);
      return success(true);
    }
    const route = this.routes.lookup(exchange.method, path);
    if (route.kind === 'not-found') throw new LpError(404, `No method ${exchange.method} ${path}`);
    if (route.kind === 'method-not-allowed') {
      throw new LpError(405, `Method ${exchange.method} is not allowed; use ${route.allowed.join(', ')}`);
    }
    call.route = route.handler.name;
    if (!account.admit(session.login, Date.now())) throw account.rateLimited();
    const staffId = account.staff.find((member) => member.email === session.login)?.id ?? null;
    const result = route.handler.handler({
      exchange,
      account,
      session,
      actor: { staffId, service: session.service },
      params: route.params,
      query: exchange.url.searchParams,
      body,
    });
    return route.handler.bare ? result : success(result);
  }

  private login(body: unknown, call: CallRecord): { token: string } {
    call.route = 'POST /login';
    const input = isRecord(body) ? body : {};
    const login = optionalText(input, 'login')?.trim() ?? '';
    const password = optionalText(input, 'password') ?? '';
    if (login === '' || password === '') throw new LpError(400, 'login and password are required');
    const account = this.registry.findByLogin(login);
    call.account = account;
    call.login = login;
    if (account && !account.admit(login, Date.now())) throw account.rateLimited();
    if (!account || account.logins.get(login) !== password) throw new LpError(403, 'Wrong login or password');
    const service = optionalText(input, 'service')?.trim() || 'API';
    const version = optionalText(input, 'version') ?? '1.0';
    return { token: account.sessions.issue(login, service, version, Date.now()).token };
  }
}
