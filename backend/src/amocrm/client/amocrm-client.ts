import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../redis/redis.module';
import {
  AmocrmApiError,
  AmocrmNotConnectedError,
  AmocrmUnavailableError,
  AmocrmValidationError,
  type AmocrmValidationIssue,
} from '../amocrm.problems';
import { AmocrmConnectionStateService } from '../connection/amocrm-connection-state.service';
import { AmocrmCredentialsService, type AmocrmSession } from '../connection/amocrm-credentials.service';
import { AmocrmTokensService } from '../connection/amocrm-tokens.service';
import { AmocrmAccountApi } from './amocrm-account-api';
import type { AmoAccount } from './amocrm-api.types';
import { encodeAmocrmQuery } from './amocrm-query';
import type { AmocrmLane } from './amocrm-rate-limiter';
import type { AmocrmGateway, AmocrmRequest, AmocrmResponse } from './amocrm-request';
import { AmocrmTransport, type TransportAnswer } from './amocrm-transport';

/** A connection to try before it is stored: the long-lived token check and the OAuth callback. */
export interface AmocrmProbeTarget {
  baseUrl: string;
  accountKey: string;
  accessToken: string;
}

export type AmocrmProbeResult =
  | { ok: true; account: AmoAccount }
  | {
      ok: false;
      status: number;
      reason: 'unauthorized' | 'not_found' | 'payment_required' | 'forbidden' | 'other';
      detail: string;
    };

/** At most this many token rotations are followed within one call before giving up. */
const MAX_AUTH_ROUNDS = 4;

/**
 * The amoCRM client every module uses: `forWorkspace(workspaceId, lane)` answers typed calls to the workspace's
 * account. Each call checks the connection (not connected, needs re-authorisation, paused: typed errors at once),
 * refreshes the OAuth token ahead of expiry, waits for the account's shared limiter, retries what may be retried,
 * refreshes once on 401, and pauses the connection on 402/403.
 */
@Injectable()
export class AmocrmClient implements AmocrmGateway {
  constructor(
    private readonly credentials: AmocrmCredentialsService,
    private readonly state: AmocrmConnectionStateService,
    private readonly tokens: AmocrmTokensService,
    private readonly transport: AmocrmTransport,
    @Inject(REDIS) readonly redis: Redis,
  ) {}

  forWorkspace(workspaceId: string, lane: AmocrmLane = 'interactive'): AmocrmAccountApi {
    return new AmocrmAccountApi(this, workspaceId, lane);
  }

  async request<T>(
    workspaceId: string,
    lane: AmocrmLane,
    request: AmocrmRequest,
  ): Promise<AmocrmResponse<T>> {
    let session = await this.state.assertUsable(await this.credentials.load(workspaceId));
    session = await this.refreshAheadOfExpiry(session);
    const url = resolveUrl(session.baseUrl, request);
    let refreshed = false;
    for (let round = 1; round <= MAX_AUTH_ROUNDS; round += 1) {
      let sent = session;
      let answer: TransportAnswer;
      try {
        answer = await this.transport.send({
          accountKey: session.accountKey,
          lane,
          method: request.method,
          url,
          body: request.body,
          beforeSend: async () => {
            await this.state.assertAccountNotPaused(session.accountKey);
            sent = this.credentials.newestOf(session);
            return sent.accessToken;
          },
        });
      } catch (error) {
        if (error instanceof AmocrmUnavailableError) await this.state.recordError(session, error.message);
        throw error;
      }
      if (answer.status === 401) {
        const reloaded = await this.credentials.load(workspaceId);
        if (reloaded && reloaded.id === sent.id && reloaded.tokenVersion !== sent.tokenVersion) {
          session = reloaded; // another process stored a newer pair meanwhile: use it, no refresh
          continue;
        }
        const stored = await this.state.assertUsable(reloaded);
        if (stored.authKind === 'oauth' && !refreshed) {
          refreshed = true;
          session = await this.tokens.refreshAfter(stored);
          continue;
        }
        const reason =
          stored.authKind === 'oauth'
            ? 'amoCRM refused a freshly refreshed token (401)'
            : 'amoCRM refused the long-lived token (401)';
        if (!(await this.state.markNeedsReauth(stored, sent.tokenVersion, reason))) {
          session = await this.state.assertUsable(await this.credentials.load(workspaceId));
          continue;
        }
        await this.state.assertUsable(await this.credentials.load(workspaceId));
        throw new AmocrmNotConnectedError();
      }
      if (answer.status === 402)
        throw await this.state.pause(session, 'payment_required', answer.amocrmRequestId);
      if (answer.status === 403) {
        throw await this.state.pause(
          session,
          answer.contentType.includes('html') ? 'blocked' : 'forbidden',
          answer.amocrmRequestId,
        );
      }
      return interpret<T>(answer);
    }
    throw new AmocrmUnavailableError('amoCRM kept refusing the access token while it was being rotated.', 10);
  }

  /** One `GET /api/v4/account` with a token that is not stored yet; nothing is paused or marked on failure. */
  async probeAccount(
    target: AmocrmProbeTarget,
    lane: AmocrmLane = 'interactive',
  ): Promise<AmocrmProbeResult> {
    const answer = await this.transport.send({
      accountKey: target.accountKey,
      lane,
      method: 'GET',
      url: `${target.baseUrl}/api/v4/account`,
      beforeSend: () => Promise.resolve(target.accessToken),
    });
    if (answer.status === 200) {
      const account = interpret<AmoAccount>(answer).data;
      if (account && typeof account.id === 'number') return { ok: true, account };
    }
    const reasons: Record<number, 'unauthorized' | 'not_found' | 'payment_required' | 'forbidden'> = {
      401: 'unauthorized',
      404: 'not_found',
      402: 'payment_required',
      403: 'forbidden',
    };
    return {
      ok: false,
      status: answer.status,
      reason: reasons[answer.status] ?? 'other',
      detail: problemDetail(answer),
    };
  }

  /** The account key of the workspace's connection (the webhook subscription lock is per account). */
  async accountKey(workspaceId: string): Promise<string> {
    return (await this.state.assertUsable(await this.credentials.load(workspaceId))).accountKey;
  }

  private async refreshAheadOfExpiry(session: AmocrmSession): Promise<AmocrmSession> {
    if (!this.tokens.needsRefreshSoon(session)) return session;
    try {
      return await this.tokens.refreshAfter(session);
    } catch (error) {
      // Still valid for a while: use it, the next call tries again.
      const stillValid = (session.tokenExpiresAt?.getTime() ?? 0) > Date.now() + 5000;
      if (error instanceof AmocrmUnavailableError && stillValid) return session;
      throw error;
    }
  }
}

/** Absolute URL of a request: relative paths on the base; absolute ones only when on the same base. */
function resolveUrl(baseUrl: string, request: AmocrmRequest): string {
  let url: string;
  if (/^https?:\/\//i.test(request.path)) {
    if (!request.path.toLowerCase().startsWith(`${baseUrl.toLowerCase()}/`)) {
      throw new AmocrmApiError(
        0,
        `refusing to follow a link outside the account (${new URL(request.path).host})`,
      );
    }
    url = request.path;
  } else {
    url = `${baseUrl}${request.path.startsWith('/') ? '' : '/'}${request.path}`;
  }
  const query = request.query ? encodeAmocrmQuery(request.query) : '';
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

function interpret<T>(answer: TransportAnswer): AmocrmResponse<T> {
  const base = { status: answer.status, amocrmRequestId: answer.amocrmRequestId };
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.status === 204 || answer.text.trim() === '') return { ...base, data: null };
    try {
      return { ...base, data: JSON.parse(answer.text) as T };
    } catch {
      throw new AmocrmApiError(answer.status, 'the answer is not JSON', answer.amocrmRequestId);
    }
  }
  if (answer.status === 400) {
    const issues = validationIssues(answer.text);
    if (issues) throw new AmocrmValidationError(issues);
  }
  throw new AmocrmApiError(answer.status, problemDetail(answer), answer.amocrmRequestId);
}

/** `validation-errors` of a 400 answer, flattened to one issue per error; undefined when it has none. */
export function validationIssues(text: string): AmocrmValidationIssue[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entries = (body as { 'validation-errors'?: unknown })?.['validation-errors'];
  if (!Array.isArray(entries)) return undefined;
  return entries.flatMap((entry: { request_id?: unknown; errors?: unknown }) => {
    const requestId =
      typeof entry?.request_id === 'string' || typeof entry?.request_id === 'number'
        ? String(entry.request_id)
        : '';
    const errors = Array.isArray(entry?.errors) ? (entry.errors as Record<string, unknown>[]) : [];
    return errors.map((error) => ({
      requestId,
      path: typeof error.path === 'string' ? error.path : '',
      code: typeof error.code === 'string' ? error.code : 'Invalid',
      detail: typeof error.detail === 'string' ? error.detail : '',
    }));
  });
}

/** The `detail` (or title) of a problem answer, or the status text for HTML pages. */
function problemDetail(answer: TransportAnswer): string {
  if (answer.contentType.includes('json')) {
    try {
      const body = JSON.parse(answer.text) as { detail?: unknown; title?: unknown; hint?: unknown };
      const text = [body.detail, body.hint, body.title].find(
        (part): part is string => typeof part === 'string' && part !== '',
      );
      if (text) return text.slice(0, 300);
    } catch {
      // fall through
    }
  }
  return answer.contentType.includes('html') ? 'an HTML error page' : 'no details';
}
