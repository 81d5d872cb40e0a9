import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpStatus, Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application } from 'express';
import { MetricsService } from '../health/metrics.service';
import { bodyParserProblem, webhookBodyParser } from '../http/body-parsers';
import {
  internalErrorProblem,
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  problemType,
  statusTitle,
  type ProblemBody,
} from '../http/problem';
import { requestIdFor } from '../http/request-id';
import { maskedPath } from '../http/send-problem';
import { SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from '../http/security-headers';
import { InboxIntakeService, type IncomingWebhook, type IntakeResult } from '../inbox/inbox-intake.service';
import { WebhookNotFoundProblem } from '../inbox/inbox.problems';
import type { TrustProxyFn } from './cached-trust';

/** The route patterns the HTTP metrics record (as Express names the routes of WebhooksController). */
export const WEBHOOK_ROUTE = '/webhooks/:source/:secret';
const WEBHOOK_ROOT_ROUTE = '/webhooks';
const WEBHOOK_OTHER_ROUTE = '/webhooks/*path';
const NOT_FOUND = new WebhookNotFoundProblem().problem;

/** Where a request under /webhooks goes: a delivery address, or any other path (answered 404). */
export type WebhookTarget = { source: string; secret: string } | 'other';

/**
 * Is this URL under /webhooks (matched as Express matches WebhooksController's routes: case-insensitive, a trailing
 * slash allowed, the query ignored)? Undefined when not: the request goes on to Express. A path of exactly two
 * segments is a delivery address (segments URL-decoded; one that does not decode is no address).
 */
export function webhookTarget(url: string): WebhookTarget | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path.length < 9 || path.slice(0, 9).toLowerCase() !== '/webhooks') return undefined;
  if (path.length === 9) return 'other';
  if (path[9] !== '/') return undefined;
  const segments = path.slice(10).split('/');
  if (segments.length === 3 && segments[2] === '') segments.pop();
  if (segments.length !== 2 || segments[0] === '' || segments[1] === '') return 'other';
  try {
    return { source: decodeURIComponent(segments[0]), secret: decodeURIComponent(segments[1]) };
  } catch {
    return 'other';
  }
}

/**
 * The address of the client as Express's `req.ip` names it (proxy-addr): the peer, or, while the peer is a trusted
 * proxy, the next address of X-Forwarded-For from the right; IPv4-mapped IPv6 written as IPv4.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxyFn): string {
  let address = req.socket.remoteAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = Array.isArray(header) ? header.join(',') : header;
  if (address !== undefined && forwarded && trust(address, 0)) {
    const hops = forwarded.split(',');
    for (let index = hops.length - 1, hop = 1; index >= 0; index--, hop++) {
      address = hops[index].trim();
      if (!trust(address, hop)) break;
    }
  }
  return (address ?? 'unknown').replace(/^::ffff:/, '');
}

/** Express's `req.secure`: an encrypted socket, or X-Forwarded-Proto `https` from a trusted proxy. */
function isSecure(req: IncomingMessage, trust: TrustProxyFn): boolean {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (!trust(req.socket.remoteAddress, 0)) return encrypted;
  const header = req.headers['x-forwarded-proto'];
  if (typeof header !== 'string') return encrypted;
  const comma = header.indexOf(',');
  return (comma === -1 ? header : header.slice(0, comma)).trim() === 'https';
}

type ParsedRequest = IncomingMessage & { body?: unknown };

/**
 * The webhook routes served before Express: a delivery is read, handed to the same InboxIntakeService as
 * WebhooksController (which stays registered: the documented route, and the answer wherever this entry is not
 * installed) and answered with the same status, headers and body — without Express's router, the Nest middleware,
 * guards, interceptors and filters, which cost about as much CPU as the delivery itself. What they gave the route
 * is done here: the security headers, the 1 MB body cap and body-parser errors as problem+json, problem+json for
 * every refusal (500 only for a failure of ours, logged), and the HTTP duration metric under the route's pattern.
 * Webhook requests have no request log line (the inbox records each delivery and the intake logs its refusals).
 */
export class WebhookEntry {
  private readonly logger = new Logger('Http');
  private readonly readBody = webhookBodyParser();
  private readonly securityHeaders = Object.entries(SECURITY_HEADERS);

  constructor(
    private readonly intake: Pick<InboxIntakeService, 'receive'>,
    private readonly metrics: Pick<MetricsService, 'observeHttp'>,
    private readonly trust: TrustProxyFn,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, target: WebhookTarget): void {
    const started = process.hrtime.bigint();
    const route =
      target !== 'other' ? WEBHOOK_ROUTE : isRoot(req.url) ? WEBHOOK_ROOT_ROUTE : WEBHOOK_OTHER_ROUTE;
    const finish = (status: number, contentType: string, body: string, noStore: boolean): void => {
      const headers: Record<string, string> = { 'Content-Type': contentType };
      for (const [name, value] of this.securityHeaders) headers[name] = value;
      if (isSecure(req, this.trust)) headers['Strict-Transport-Security'] = STRICT_TRANSPORT_SECURITY;
      if (noStore) headers['Cache-Control'] = 'no-store';
      res.writeHead(status, headers);
      res.end(body);
      this.metrics.observeHttp(
        req.method ?? 'POST',
        route,
        status,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    const refuse = (problem: ProblemBody): void => {
      const body: ProblemBody = { ...problem, instance: maskedPath(req.url ?? '') };
      finish(problem.status, PROBLEM_CONTENT_TYPE, JSON.stringify(body), false);
    };
    const fail = (error: unknown): void => refuse(this.problemFor(error, req, res, route));
    if (target === 'other' || req.method !== 'POST') {
      refuse(NOT_FOUND);
      return;
    }
    this.readBody(req, res, (error?: unknown) => {
      try {
        this.received(req, target, error, refuse, finish, fail);
      } catch (thrown) {
        // never an uncaught exception in a body-parser callback (Express's router caught these)
        this.failed(res, thrown, fail);
      }
    });
  }

  /** A failure of ours outside the intake's promise: the 500 problem, or, once answering has begun, a closed socket. */
  failed(res: ServerResponse, error: unknown, fail?: (error: unknown) => void): void {
    if (res.headersSent || !fail) {
      this.lastResort(res, error);
      return;
    }
    try {
      fail(error);
    } catch (again) {
      this.lastResort(res, again);
    }
  }

  /** The body is read (or could not be): hand the delivery to the intake and answer. */
  private received(
    req: IncomingMessage,
    target: { source: string; secret: string },
    error: unknown,
    refuse: (problem: ProblemBody) => void,
    finish: (status: number, contentType: string, body: string, noStore: boolean) => void,
    fail: (error: unknown) => void,
  ): void {
    if (error !== undefined) {
      // whatever stopped the body from being read (a bad gzip stream, a dropped connection) is the client's
      refuse(bodyParserProblem(error) ?? unreadableBody(error));
      return;
    }
    const body = (req as ParsedRequest).body;
    const webhook: IncomingWebhook = {
      source: target.source,
      secret: target.secret,
      headers: req.headers,
      rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      remoteIp: clientAddress(req, this.trust),
      overHttp: true,
    };
    this.intake
      .receive(webhook)
      .then(
        (accepted: IntakeResult) =>
          finish(
            HttpStatus.OK,
            'application/json; charset=utf-8',
            JSON.stringify({ id: accepted.id, status: accepted.status }),
            true,
          ),
        fail,
      )
      .catch((thrown: unknown) => this.lastResort(req.socket, thrown));
  }

  /** Answering failed itself: logged, and the connection closed rather than left hanging. */
  private lastResort(target: { destroy(): unknown }, error: unknown): void {
    this.logger.error({ err: error }, 'answering a webhook failed');
    target.destroy();
  }

  /** The same answers as ProblemDetailsFilter gives the controller's errors. */
  private problemFor(error: unknown, req: IncomingMessage, res: ServerResponse, route: string): ProblemBody {
    if (error instanceof ProblemException) return error.problem;
    // the id the answer names is the one the log line carries (the request logger does not see these routes)
    const reqId = requestIdFor(req);
    res.setHeader('X-Request-Id', reqId);
    this.logger.error({ err: error, reqId, method: req.method, route }, 'unhandled error');
    return internalErrorProblem();
  }
}

function unreadableBody(error: unknown): ProblemBody {
  const status = (error as { status?: unknown } | null)?.status;
  const code = typeof status === 'number' && status >= 400 && status < 500 ? status : HttpStatus.BAD_REQUEST;
  return {
    type: problemType('bad-request'),
    title: statusTitle(code),
    status: code,
    detail: 'The request body could not be read.',
  };
}

function isRoot(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path.length <= 10;
}

/**
 * Puts the webhook entry in front of Express on the app's HTTP server: requests under /webhooks go to it, every
 * other request to Express as before. Call after the app is created (the server exists) and configured.
 */
export function installWebhookEntry(app: NestExpressApplication): WebhookEntry {
  const server = app.getHttpServer();
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (listeners.length !== 1)
    throw new Error(`expected Express as the one request listener, found ${listeners.length}`);
  const [expressApp] = listeners;
  const trust = (app.getHttpAdapter().getInstance() as Application).get('trust proxy fn') as TrustProxyFn;
  const entry = new WebhookEntry(
    app.get(InboxIntakeService, { strict: false }),
    app.get(MetricsService, { strict: false }),
    trust,
  );
  server.removeListener('request', expressApp);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = webhookTarget(req.url ?? '');
    if (target === undefined) {
      expressApp(req, res);
      return;
    }
    try {
      entry.handle(req, res, target);
    } catch (error) {
      entry.failed(res, error);
    }
  });
  return entry;
}
