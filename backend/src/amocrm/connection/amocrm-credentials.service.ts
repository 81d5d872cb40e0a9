import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../crypto/secret-box';
import type {
  AmocrmAuthKind,
  AmocrmConnectionEntity,
  AmocrmConnectionStatus,
} from './amocrm-connection.entity';
import { AmocrmConnectionsRepository } from './amocrm-connections.repository';
import { amocrmAccountKey } from './amocrm-domain';

/** A stored connection with its secrets opened: what the client and the token store work with. Never logged. */
export interface AmocrmSession {
  id: string;
  workspaceId: string;
  subdomain: string;
  baseUrl: string;
  /** Names the account in Redis (limiter, pause flag). */
  accountKey: string;
  authKind: AmocrmAuthKind;
  status: AmocrmConnectionStatus;
  pausedReason: AmocrmConnectionEntity['pausedReason'];
  lastError: string | null;
  tokenVersion: number;
  tokenExpiresAt: Date | null;
  accessToken: string | null;
  refreshToken: string | null;
  clientId: string | null;
  clientSecret: string | null;
  redirectUri: string | null;
  accountId: number | null;
}

/** A pair answered by amoCRM's token endpoint, or a long-lived token (no refresh token, no known expiry). */
export interface AmocrmTokenPair {
  accessToken: string;
  refreshToken: string | null;
  expiresInSeconds: number | null;
}

type SealedColumn = 'access_token' | 'refresh_token' | 'client_secret';

/**
 * Reads and writes a connection's credentials: sealed with SecretBox (bound to the row and column), opened only
 * in memory. Keeps the newest pair this process has seen, so a call that waited in the limiter sends the token
 * stored while it waited.
 */
@Injectable()
export class AmocrmCredentialsService {
  private readonly newest = new Map<string, AmocrmSession>();

  constructor(
    private readonly connections: AmocrmConnectionsRepository,
    private readonly box: SecretBox,
  ) {}

  async load(workspaceId: string): Promise<AmocrmSession | null> {
    const row = await this.connections.findByWorkspace(workspaceId);
    if (!row) return null;
    const session = this.open(row);
    this.remember(session);
    return session;
  }

  /** The newest pair of this connection seen by this process (the given one if nothing newer). */
  newestOf(session: AmocrmSession): AmocrmSession {
    const cached = this.newest.get(session.id);
    return cached && cached.tokenVersion > session.tokenVersion ? cached : session;
  }

  /** Stores a new pair (sealed, version bumped) before anyone uses it; answers the session as now stored. */
  async storeTokens(session: AmocrmSession, pair: AmocrmTokenPair, at = new Date()): Promise<AmocrmSession> {
    const expiresAt =
      pair.expiresInSeconds === null ? null : new Date(at.getTime() + pair.expiresInSeconds * 1000);
    await this.connections.storeTokens(
      session.workspaceId,
      session.id,
      {
        accessToken: this.seal(session.id, 'access_token', pair.accessToken),
        refreshToken:
          pair.refreshToken === null ? null : this.seal(session.id, 'refresh_token', pair.refreshToken),
        expiresAt,
      },
      at,
    );
    const stored = await this.load(session.workspaceId);
    if (!stored) throw new Error('the amoCRM connection disappeared while its tokens were stored');
    return stored;
  }

  seal(connectionId: string, column: SealedColumn, value: string): string {
    return this.box.seal(value, context(connectionId, column));
  }

  forget(connectionId: string): void {
    this.newest.delete(connectionId);
  }

  private open(row: AmocrmConnectionEntity): AmocrmSession {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      subdomain: row.subdomain,
      baseUrl: row.baseUrl,
      accountKey: amocrmAccountKey(row.baseUrl),
      authKind: row.authKind,
      status: row.status,
      pausedReason: row.pausedReason,
      lastError: row.lastError,
      tokenVersion: row.tokenVersion,
      tokenExpiresAt: row.tokenExpiresAt,
      accessToken: this.box.openOptional(row.accessToken, context(row.id, 'access_token')),
      refreshToken: this.box.openOptional(row.refreshToken, context(row.id, 'refresh_token')),
      clientId: row.clientId,
      clientSecret: this.box.openOptional(row.clientSecret, context(row.id, 'client_secret')),
      redirectUri: row.redirectUri,
      accountId: row.accountId,
    };
  }

  private remember(session: AmocrmSession): void {
    const cached = this.newest.get(session.id);
    if (!cached || cached.tokenVersion <= session.tokenVersion) this.newest.set(session.id, session);
  }
}

function context(connectionId: string, column: SealedColumn): string {
  return `amocrm_connections.${column}:${connectionId}`;
}
