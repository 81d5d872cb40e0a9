import { Injectable } from '@nestjs/common';
import {
  LptrackerCredentialsService,
  type LptrackerSession,
} from '../connection/lptracker-credentials.service';
import { LptrackerLoginService, usable } from '../connection/lptracker-login.service';
import type { LimiterLane } from '../../redis/rate-limiter';
import { LptrackerCallbackNotRetriedError, LptrackerUnavailableError } from '../lptracker.problems';
import { LptrackerAccountApi } from './lptracker-account-api';
import { placesPhoneCall } from './lptracker-envelope';
import { LptrackerTransport, type LptrackerAnswer } from './lptracker-transport';

export interface LptrackerRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/projects`, `/project/123/customs`… */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

/** Logged in, not stored yet: the checks of a connection before it is saved. */
export interface LptrackerProbeTarget {
  login: string;
  token: string;
}

/**
 * The LPTracker client every module uses: `forWorkspace(workspaceId, lane)` answers typed calls with the
 * workspace's login. Each call checks the connection (not connected, needs re-authorisation: typed errors at once),
 * waits for the login's shared limiter, sends the token in the `token` header, reads the envelope (errors with
 * HTTP 200), retries rate refusals and outages, and on a refused token logs in again once (one login for all
 * concurrent callers, across processes) and retries once. A request with `callback: true` is sent once, never again.
 */
@Injectable()
export class LptrackerClient {
  constructor(
    private readonly credentials: LptrackerCredentialsService,
    private readonly logins: LptrackerLoginService,
    private readonly transport: LptrackerTransport,
  ) {}

  forWorkspace(workspaceId: string, lane: LimiterLane = 'interactive'): LptrackerAccountApi {
    return new LptrackerAccountApi((request) => this.request(workspaceId, lane, request));
  }

  /** Typed calls with a token not stored yet (connecting): a refused token is an error, nothing is retried. */
  withToken(target: LptrackerProbeTarget, lane: LimiterLane = 'interactive'): LptrackerAccountApi {
    return new LptrackerAccountApi(async (request) => {
      const answer = await this.transport.call({
        accountKey: this.credentials.accountKey(target.login),
        lane,
        method: request.method,
        url: this.url(request),
        body: request.body,
        token: () => target.token,
      });
      if (answer.kind === 'unauthorized')
        throw new LptrackerUnavailableError(
          `LPTracker refused the token it has just issued (${answer.message}).`,
          5,
        );
      return answer.result;
    });
  }

  async request(workspaceId: string, lane: LimiterLane, request: LptrackerRequest): Promise<unknown> {
    let session = usable(await this.credentials.load(workspaceId));
    if (!session.token) session = await this.logins.tokenAfter(session);
    const url = this.url(request);
    const oneShot = placesPhoneCall(request.body);
    for (let round = 1; ; round += 1) {
      let sent: LptrackerSession = session;
      const answer = await this.send(session, lane, request.method, url, request.body, (used) => {
        sent = used;
      });
      if (answer.kind === 'ok') return answer.result;
      const refused = new LptrackerUnavailableError(`LPTracker refused the token (${answer.message}).`, 5);
      if (oneShot) throw new LptrackerCallbackNotRetriedError(refused, false);
      if (round > 1) throw refused; // a token issued moments ago refused: do not loop
      session = await this.logins.tokenAfter(sent);
    }
  }

  /** One call with the newest token of the session; an outage is recorded as the connection's last error. */
  private async send(
    session: LptrackerSession,
    lane: LimiterLane,
    method: LptrackerRequest['method'],
    url: string,
    body: unknown,
    used: (sent: LptrackerSession) => void,
  ): Promise<LptrackerAnswer> {
    try {
      return await this.transport.call({
        accountKey: session.accountKey,
        lane,
        method,
        url,
        body,
        token: () => {
          const newest = this.credentials.newestOf(session);
          used(newest);
          return newest.token;
        },
      });
    } catch (error) {
      if (error instanceof LptrackerUnavailableError)
        await this.credentials.recordError(session, error.message);
      throw error;
    }
  }

  private url(request: LptrackerRequest): string {
    const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
    const query = request.query
      ? new URLSearchParams(
          Object.entries(request.query).map(([key, value]): [string, string] => [key, String(value)]),
        ).toString()
      : '';
    return `${this.credentials.baseUrl}${path}${query ? `?${query}` : ''}`;
  }
}
