import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AuditService } from '../../audit/audit.service';
import type { Actor, Principal } from '../../auth/principal';
import { AppConfig } from '../../config/app-config';
import { ConflictProblem } from '../../http/problem';
import { REDIS } from '../../redis/redis.module';
import { AmocrmError, AmocrmUnavailableError } from '../amocrm.problems';
import { AmocrmClient } from '../client/amocrm-client';
import { AmocrmConnectionStateService } from './amocrm-connection-state.service';
import { AmocrmConnectionsRepository } from './amocrm-connections.repository';
import { AmocrmConnectionsService } from './amocrm-connections.service';
import { AmocrmCredentialsService } from './amocrm-credentials.service';
import { amocrmConsentUrl, refererMatches } from './amocrm-domain';
import { AmocrmTokensService } from './amocrm-tokens.service';

/** OAuth `state` lives this long (the admin has to click through the consent page meanwhile). */
const STATE_TTL_SECONDS = 600;
interface OAuthState {
  workspaceId: string;
  connectionId: string;
  principal: Principal;
  ip: string;
}

/**
 * The OAuth consent flow of an amoCRM connection: the consent URL with a single-use `state` bound to the
 * workspace and the admin, and the redirect back (state, referer, code exchange, account probe, connected).
 * Saving the OAuth client, disconnecting and the rest of the connection's life are AmocrmConnectionsService's.
 */
@Injectable()
export class AmocrmOAuthService {
  private readonly logger = new Logger('Amocrm');

  constructor(
    private readonly config: AppConfig,
    private readonly connections: AmocrmConnectionsService,
    private readonly rows: AmocrmConnectionsRepository,
    private readonly credentials: AmocrmCredentialsService,
    private readonly state: AmocrmConnectionStateService,
    private readonly tokens: AmocrmTokensService,
    private readonly client: AmocrmClient,
    private readonly audit: AuditService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The consent page URL with a fresh single-use `state` bound to the workspace (10 minutes). */
  async authorizeUrl(actor: Actor & { principal: Principal }, workspaceId: string): Promise<string> {
    const session = await this.credentials.load(workspaceId);
    if (!session || session.authKind !== 'oauth' || !session.clientId || !session.clientSecret) {
      throw new ConflictProblem(
        'Save the OAuth client (subdomain, clientId, clientSecret) first.',
        'amocrm-oauth-not-configured',
      );
    }
    const state = randomBytes(24).toString('base64url');
    const bound: OAuthState = {
      workspaceId,
      connectionId: session.id,
      principal: actor.principal,
      ip: actor.ip,
    };
    await this.redis.set(stateKey(state), JSON.stringify(bound), 'EX', STATE_TTL_SECONDS);
    return amocrmConsentUrl(
      session.baseUrl,
      session.clientId,
      state,
      session.redirectUri ?? this.connections.defaultRedirectUri(),
    );
  }

  /**
   * The OAuth redirect: answers where to send the browser, `/connections/amocrm?connected=1` or `?error=<code>`.
   * Never throws: failures are logged and named by a short code.
   */
  async completeOAuth(query: {
    code?: string;
    state?: string;
    referer?: string;
    error?: string;
  }): Promise<string> {
    try {
      return this.consoleUrl({ connected: '1', ...(await this.finishOAuth(query)) });
    } catch (error) {
      const code = error instanceof OAuthFailure ? error.code : 'internal_error';
      if (!(error instanceof OAuthFailure)) this.logger.error({ err: error }, 'amoCRM OAuth callback failed');
      else this.logger.warn({ code, detail: error.message }, 'amoCRM OAuth callback refused');
      return this.consoleUrl({ error: code });
    }
  }

  private async finishOAuth(query: {
    code?: string;
    state?: string;
    referer?: string;
    error?: string;
  }): Promise<Record<string, string>> {
    const bound = query.state ? await this.redis.getdel(stateKey(query.state)) : null;
    if (query.error)
      throw new OAuthFailure('access_denied', `amoCRM answered error=${query.error.slice(0, 60)}`);
    if (!query.code || !query.state) throw new OAuthFailure('invalid_request', 'code or state is missing');
    if (!bound) throw new OAuthFailure('invalid_state', 'the state is unknown, used or expired');
    const state = JSON.parse(bound) as OAuthState;
    const session = await this.credentials.load(state.workspaceId);
    if (!session || session.id !== state.connectionId || session.authKind !== 'oauth') {
      throw new OAuthFailure('connection_changed', 'the connection was changed or removed meanwhile');
    }
    if (!query.referer || !refererMatches(session.baseUrl, query.referer)) {
      throw new OAuthFailure(
        'referer_mismatch',
        `the referer does not name ${new URL(session.baseUrl).host}`,
      );
    }
    let stored;
    try {
      stored = await this.tokens.exchangeCode(session, query.code);
    } catch (error) {
      if (error instanceof AmocrmUnavailableError)
        throw new OAuthFailure('amocrm_unavailable', error.message);
      if (error instanceof AmocrmError) {
        await this.state.recordError(session, `amoCRM refused the authorization code: ${error.message}`);
        throw new OAuthFailure('code_rejected', error.message);
      }
      throw error;
    }
    const probe = await this.client.probeAccount({
      baseUrl: stored.baseUrl,
      accountKey: stored.accountKey,
      accessToken: stored.accessToken ?? '',
    });
    if (!probe.ok) {
      await this.state.recordError(stored, `amoCRM refused the new token (${probe.status} ${probe.detail})`);
      throw new OAuthFailure('account_check_failed', `GET /api/v4/account answered ${probe.status}`);
    }
    await this.state.clearPause(stored);
    await this.rows.markConnected(
      stored.workspaceId,
      stored.id,
      { id: probe.account.id, name: probe.account.name },
      new Date(),
    );
    await this.connections.loadMetadata(stored.workspaceId);
    await this.audit.record(
      { principal: state.principal, ip: state.ip },
      {
        workspaceId: stored.workspaceId,
        action: 'amocrm.connected',
        targetType: 'amocrm_connection',
        targetId: stored.id,
        details: {
          authKind: 'oauth',
          subdomain: stored.subdomain,
          accountId: probe.account.id,
          source: 'manual',
        },
      },
    );
    return {};
  }

  private consoleUrl(params: Record<string, string>): string {
    return `${this.config.publicUrl}/connections/amocrm?${new URLSearchParams(params).toString()}`;
  }
}

/** A refused OAuth redirect, named by the code the console shows. */
class OAuthFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function stateKey(state: string): string {
  return `amocrm:oauth-state:${state}`;
}
