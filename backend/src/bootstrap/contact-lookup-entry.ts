import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, Request, Response } from 'express';
import { Store, storage } from 'nestjs-pino/storage';
import { PinoLogger } from 'nestjs-pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { UnauthorizedProblem } from '../auth/auth.problems';
import type { Principal } from '../auth/principal';
import { PrincipalsService } from '../auth/principals.service';
import { IS_PUBLIC } from '../auth/public.decorator';
import { REQUIRED_ROLE, SUPER_ADMIN_ONLY, USERS_ONLY } from '../auth/roles.decorator';
import { AppConfig } from '../config/app-config';
import { ContactsService } from '../contacts/contacts.service';
import { ContactDto, ContactQueryDto } from '../contacts/dto/contact.dto';
import { MetricsService } from '../health/metrics.service';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { securityHeaders } from '../http/security-headers';
import { requestLoggerOptions } from '../logging/request-logger-options';
import { ContactsController } from '../sync/contacts/contacts.controller';

/** The route pattern of `GET /api/v1/contacts` (ContactsController.list) as the HTTP metrics and logs name it. */
export const CONTACTS_ROUTE = '/api/v1/contacts';
const LOOKUP_PREFIX = `${CONTACTS_ROUTE}?phone=`;

/** Express's app with the prototypes it gives every request and response it serves. */
type ExpressApp = Application & { request: object; response: object };

/**
 * Is this the client apps' lookup as the lean entry serves it: `GET /api/v1/contacts?phone=…` (that path exactly,
 * one `phone` parameter), an API key alone (no Authorization), no body, no conditional headers? Anything else
 * (another path or query, a bearer token, If-None-Match, HEAD, …) goes on to Express and the Nest route.
 */
export function isLeanLookup(req: IncomingMessage): boolean {
  const { url, headers } = req;
  if (req.method !== 'GET' || url === undefined || !url.startsWith(LOOKUP_PREFIX)) return false;
  if (url.includes('&', LOOKUP_PREFIX.length) || url.includes('#', LOOKUP_PREFIX.length)) return false;
  const key = headers['x-api-key'];
  return (
    typeof key === 'string' &&
    key.length > 0 &&
    headers.authorization === undefined &&
    headers['if-none-match'] === undefined &&
    headers['if-modified-since'] === undefined &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined
  );
}

/**
 * `GET /api/v1/contacts?phone=…` with an API key (the hot path of client apps) served before Express: the same
 * checks and answers as ContactsController.list behind Express and Nest, at a fraction of their CPU. What the
 * framework gave the route is done here with the framework's own pieces: Express's request and response (the query
 * parser, `res.json` with its ETag, `req.secure`), the security headers middleware, the request logger (pino-http
 * with the LoggingModule's options: the X-Request-Id, the log line, the request's logger for what is logged
 * meanwhile), the API-key check of AuthenticationGuard (PrincipalsService.forApiKey, its cache and revocation),
 * the DTO's fast query check, ContactsService.list and ContactDto, ProblemDetailsFilter for every refusal and
 * failure, and the HTTP duration metric under the route's pattern. A query the fast check does not take falls
 * through to Express before anything is answered.
 */
export class ContactLookupEntry {
  private readonly filter = new ProblemDetailsFilter();
  private requestLogger?: HttpLogger;

  constructor(
    private readonly express: ExpressApp,
    private readonly principals: Pick<PrincipalsService, 'forApiKey'>,
    private readonly contacts: Pick<ContactsService, 'list'>,
    private readonly metrics: Pick<MetricsService, 'observeHttp'>,
    private readonly config: AppConfig,
  ) {}

  /** Serves the request, or answers false (nothing done that Express would not redo) to have Express serve it. */
  handle(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
    // what Express's own init middleware does first: its request and response methods on these objects
    const req = Object.setPrototypeOf(incoming, this.express.request) as Request;
    const res = Object.setPrototypeOf(outgoing, this.express.response) as Response;
    const query = ContactQueryDto.fastQuery(req.query);
    if (query === null) return false;
    Object.assign(req, { res, next: undefined });
    Object.assign(res, { req, locals: Object.create(null) as Record<string, unknown> });
    const started = process.hrtime.bigint();
    res.once('finish', () =>
      this.metrics.observeHttp(
        'GET',
        CONTACTS_ROUTE,
        res.statusCode,
        Number(process.hrtime.bigint() - started) / 1e9,
      ),
    );
    securityHeaders(req, res, () => undefined);
    this.logger()(req, res);
    storage.run(new Store(req.log), () => {
      this.answer(req, res, query).catch((error: unknown) => this.refuse(req, res, error));
    });
    return true;
  }

  private async answer(req: Request, res: Response, query: ContactQueryDto): Promise<void> {
    const principal = await this.authenticated(req.headers['x-api-key'] as string);
    req.user = principal;
    const page = await this.contacts.list(principal.workspaceId, query);
    res.status(200).json({ ...page, items: page.items.map((contact) => ContactDto.from(contact)) });
  }

  /** AuthenticationGuard's answer for a request with an API key alone. */
  private async authenticated(key: string): Promise<Principal> {
    const principal = await this.principals.forApiKey(key);
    if (!principal)
      throw new UnauthorizedProblem('The API key is unknown or has been revoked.', 'invalid-api-key');
    return principal;
  }

  /** The global filter's answer (problem+json; a failure of ours logged and answered 500). */
  refuse(req: Request, res: Response, error: unknown): void {
    try {
      // the route as the filter's log line names it behind Express
      if (req.route === undefined) Object.assign(req, { route: { path: CONTACTS_ROUTE } });
      this.filter.catch(error, new ExecutionContextHost([req, res, () => undefined]));
    } catch {
      res.destroy();
    }
  }

  /** pino-http with the LoggingModule's options on its root logger (created once the app's middleware exists). */
  private logger(): HttpLogger {
    this.requestLogger ??= pinoHttp({
      ...requestLoggerOptions(this.config),
      ...(PinoLogger.root ? { logger: PinoLogger.root } : {}),
    });
    return this.requestLogger;
  }
}

/**
 * Puts the lookup entry in front of the app's request listener (Express, or the webhook entry before it): the
 * lookup of `isLeanLookup` shape goes to it, every other request on as before. Refuses to start if the Nest route
 * ever needs more than a valid API key (a role, users only, …), which this entry would not check.
 */
export function installContactLookupEntry(app: NestExpressApplication): ContactLookupEntry {
  for (const metadata of [IS_PUBLIC, REQUIRED_ROLE, USERS_ONLY, SUPER_ADMIN_ONLY])
    if (
      Reflect.getMetadata(metadata, ContactsController.prototype.list) !== undefined ||
      Reflect.getMetadata(metadata, ContactsController) !== undefined
    )
      throw new Error(`GET ${CONTACTS_ROUTE} has access rules the lookup entry does not apply`);
  const server = app.getHttpServer();
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (listeners.length !== 1) throw new Error(`expected one request listener, found ${listeners.length}`);
  const [next] = listeners;
  const entry = new ContactLookupEntry(
    app.getHttpAdapter().getInstance() as ExpressApp,
    app.get(PrincipalsService, { strict: false }),
    app.get(ContactsService, { strict: false }),
    app.get(MetricsService, { strict: false }),
    app.get(AppConfig, { strict: false }),
  );
  server.removeListener('request', next);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isLeanLookup(req)) {
      next(req, res);
      return;
    }
    let served = false;
    try {
      served = entry.handle(req, res);
    } catch (error) {
      entry.refuse(req as Request, res as Response, error);
      return;
    }
    if (!served) next(req, res);
  });
  return entry;
}
