import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisLock } from '../../redis/redis-lock';
import { REDIS } from '../../redis/redis.module';
import { AmocrmApiError, AmocrmNotConnectedError, AmocrmUnavailableError } from '../amocrm.problems';
import { AmocrmTransport, type TransportAnswer } from '../client/amocrm-transport';
import { AmocrmConnectionStateService } from './amocrm-connection-state.service';
import {
  AmocrmCredentialsService,
  type AmocrmSession,
  type AmocrmTokenPair,
} from './amocrm-credentials.service';

/** Refresh when less than this is left of the access token. */
export const REFRESH_BEFORE_EXPIRY_MS = 10 * 60_000;
const LOCK_TTL_MS = 30_000;
const WAIT_FOR_OTHER_REFRESH_MS = 40_000;
const POLL_MS = 100;

/**
 * The OAuth token store. amoCRM refresh tokens work once for everyone, so a refresh happens at most once at a
 * time per connection across all processes: a Redis lock, then the stored pair is read again (another process may
 * have refreshed already: the token version tells), then the refresh, and the new pair is stored sealed, with a
 * bumped version, before anyone uses it. Everyone else polls the stored version instead of refreshing.
 */
@Injectable()
export class AmocrmTokensService {
  private readonly logger = new Logger('Amocrm');
  /** One refresh per connection and version in this process; the others await it. */
  private readonly inFlight = new Map<string, Promise<AmocrmSession>>();

  constructor(
    private readonly credentials: AmocrmCredentialsService,
    private readonly state: AmocrmConnectionStateService,
    private readonly transport: AmocrmTransport,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  needsRefreshSoon(session: AmocrmSession, now = Date.now()): boolean {
    return (
      session.authKind === 'oauth' &&
      session.refreshToken !== null &&
      session.tokenExpiresAt !== null &&
      session.tokenExpiresAt.getTime() - now < REFRESH_BEFORE_EXPIRY_MS
    );
  }

  /**
   * Answers a session whose tokens are newer than `seen`: refreshed here, or by another process meanwhile.
   * Throws AmocrmNeedsReauthError when amoCRM refuses the refresh token.
   */
  refreshAfter(seen: AmocrmSession): Promise<AmocrmSession> {
    const key = `${seen.id}:${seen.tokenVersion}`;
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.refreshAcrossProcesses(seen).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  /** Exchanges the authorization code of an OAuth redirect and stores the pair; answers the stored session. */
  async exchangeCode(session: AmocrmSession, code: string): Promise<AmocrmSession> {
    const answer = await this.tokenCall(session, {
      grant_type: 'authorization_code',
      code,
    });
    if (answer.status !== 200)
      throw new AmocrmApiError(answer.status, oauthFailure(answer), answer.amocrmRequestId);
    return this.credentials.storeTokens(session, readPair(answer));
  }

  private async refreshAcrossProcesses(seen: AmocrmSession): Promise<AmocrmSession> {
    const deadline = Date.now() + WAIT_FOR_OTHER_REFRESH_MS;
    for (;;) {
      const current = await this.reload(seen);
      if (current.tokenVersion !== seen.tokenVersion) return current;
      const lock = await RedisLock.tryAcquire(this.redis, `amocrm:token-refresh:{${seen.id}}`, LOCK_TTL_MS);
      if (lock) {
        try {
          const locked = await this.reload(seen);
          if (locked.tokenVersion !== seen.tokenVersion) return locked;
          return await this.refreshNow(locked);
        } finally {
          await lock.release();
        }
      }
      if (Date.now() + POLL_MS > deadline) {
        throw new AmocrmUnavailableError(
          'Another process is refreshing the amoCRM token and has not finished.',
          10,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The stored session, if still usable for refreshing (throws the matching error otherwise). */
  private async reload(seen: AmocrmSession): Promise<AmocrmSession> {
    const current = await this.credentials.load(seen.workspaceId);
    if (!current || current.id !== seen.id) throw new AmocrmNotConnectedError();
    if (current.tokenVersion === seen.tokenVersion) await this.state.assertUsable(current);
    return current;
  }

  private async refreshNow(session: AmocrmSession): Promise<AmocrmSession> {
    if (session.authKind !== 'oauth' || !session.refreshToken) {
      await this.state.markNeedsReauth(
        session,
        session.tokenVersion,
        'amoCRM refused the long-lived token (401)',
      );
      return this.reloadAfterFailure(session);
    }
    const answer = await this.tokenCall(session, {
      grant_type: 'refresh_token',
      refresh_token: session.refreshToken,
    });
    if (answer.status === 200) {
      const stored = await this.credentials.storeTokens(session, readPair(answer));
      this.logger.log(
        { workspaceId: session.workspaceId, subdomain: session.subdomain, tokenVersion: stored.tokenVersion },
        'amoCRM token refreshed',
      );
      return stored;
    }
    if (answer.status === 402)
      throw await this.state.pause(session, 'payment_required', answer.amocrmRequestId);
    if (answer.status === 403)
      throw await this.state.pause(
        session,
        answer.contentType.includes('html') ? 'blocked' : 'forbidden',
        answer.amocrmRequestId,
      );
    await this.state.markNeedsReauth(
      session,
      session.tokenVersion,
      `amoCRM refused the refresh token: ${oauthFailure(answer)}`,
    );
    return this.reloadAfterFailure(session);
  }

  /** After marking needs_reauth: a newer pair may have been stored meanwhile (then use it), else throw. */
  private async reloadAfterFailure(session: AmocrmSession): Promise<AmocrmSession> {
    const current = await this.credentials.load(session.workspaceId);
    if (current && current.id === session.id && current.tokenVersion !== session.tokenVersion) return current;
    await this.state.assertUsable(current);
    throw new AmocrmNotConnectedError();
  }

  private tokenCall(session: AmocrmSession, grant: Record<string, string>): Promise<TransportAnswer> {
    if (!session.clientId || !session.clientSecret)
      throw new AmocrmNotConnectedError('The amoCRM OAuth client is not configured.');
    return this.transport.send({
      accountKey: session.accountKey,
      lane: 'interactive',
      method: 'POST',
      url: `${session.baseUrl}/oauth2/access_token`,
      body: {
        client_id: session.clientId,
        client_secret: session.clientSecret,
        redirect_uri: session.redirectUri ?? undefined,
        ...grant,
      },
      beforeSend: async () => {
        await this.state.assertAccountNotPaused(session.accountKey);
        return null;
      },
    });
  }
}

function readPair(answer: TransportAnswer): AmocrmTokenPair {
  let body: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    throw new AmocrmApiError(
      answer.status,
      'the token endpoint answered something that is not JSON',
      answer.amocrmRequestId,
    );
  }
  if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    throw new AmocrmApiError(
      answer.status,
      'the token endpoint answered without a token pair',
      answer.amocrmRequestId,
    );
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 86_400;
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresInSeconds: expiresIn };
}

/** A short reason from an OAuth problem answer (`hint` first: "Token has been revoked"); never echoes tokens. */
function oauthFailure(answer: TransportAnswer): string {
  try {
    const body = JSON.parse(answer.text) as { hint?: unknown; detail?: unknown; title?: unknown };
    const parts = [body.hint, body.detail, body.title].filter(
      (part): part is string => typeof part === 'string' && part !== '',
    );
    if (parts.length > 0) return `${answer.status} ${parts[0]}`.slice(0, 300);
  } catch {
    // not JSON
  }
  return `${answer.status}`;
}
