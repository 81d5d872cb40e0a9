import { randomBytes, randomUUID } from 'node:crypto';

/**
 * OAuth state of one account: authorization codes (single use), access tokens, refresh tokens
 * (single use: rotating one revokes it and the access token issued with it) and the long-lived
 * token of a private integration.
 */

export type AccessTokenKind = 'oauth' | 'long_lived';

interface AccessTokenRecord {
  kind: AccessTokenKind;
  userId: number;
  expiresAtMs: number;
  revoked: boolean;
}

interface RefreshTokenRecord {
  accessToken: string;
  expiresAtMs: number;
  used: boolean;
}

interface AuthCodeRecord {
  redirectUri: string | undefined;
  expiresAtMs: number;
  used: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface TokenLifetimes {
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  authCodeTtlSec: number;
  longLivedTokenTtlSec: number;
}

export type AccessCheck = { ok: true; userId: number; kind: AccessTokenKind } | { ok: false; reason: string };

export type CodeCheck = 'ok' | 'unknown' | 'used' | 'expired' | 'redirect-mismatch';
export type RefreshCheck =
  { ok: true; pair: TokenPair } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

/** Token-endpoint calls per grant type, and how many of them failed. */
export interface TokenCallCounters {
  authorization_code: number;
  refresh_token: number;
  other: number;
  failures: { authorization_code: number; refresh_token: number; other: number };
}

export type GrantKind = 'authorization_code' | 'refresh_token' | 'other';

export function emptyTokenCounters(): TokenCallCounters {
  return {
    authorization_code: 0,
    refresh_token: 0,
    other: 0,
    failures: { authorization_code: 0, refresh_token: 0, other: 0 },
  };
}

export class OAuthTokenStore {
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthCodeRecord>();
  private currentLongLived: string | undefined;

  constructor(
    private readonly accountId: number,
    private readonly clientId: () => string,
    private readonly userId: number,
    private readonly lifetimes: () => TokenLifetimes,
  ) {}

  issueCode(redirectUri: string | undefined): { code: string; expiresAt: number } {
    const code = `def50200${randomBytes(96).toString('hex')}`;
    const expiresAtMs = Date.now() + this.lifetimes().authCodeTtlSec * 1000;
    this.codes.set(code, { redirectUri, expiresAtMs, used: false });
    return { code, expiresAt: Math.floor(expiresAtMs / 1000) };
  }

  consumeCode(code: string, redirectUri: string | undefined): CodeCheck {
    const record = this.codes.get(code);
    if (!record) return 'unknown';
    if (record.used) return 'used';
    if (record.expiresAtMs <= Date.now()) return 'expired';
    if (record.redirectUri !== undefined && redirectUri !== undefined && record.redirectUri !== redirectUri) {
      return 'redirect-mismatch';
    }
    record.used = true;
    return 'ok';
  }

  issuePair(): TokenPair {
    const lifetimes = this.lifetimes();
    const accessToken = this.mintJwt(lifetimes.accessTokenTtlSec);
    this.accessTokens.set(accessToken, {
      kind: 'oauth',
      userId: this.userId,
      expiresAtMs: Date.now() + lifetimes.accessTokenTtlSec * 1000,
      revoked: false,
    });
    const refreshToken = `def50200${randomBytes(160).toString('hex')}`;
    this.refreshTokens.set(refreshToken, {
      accessToken,
      expiresAtMs: Date.now() + lifetimes.refreshTokenTtlSec * 1000,
      used: false,
    });
    return { accessToken, refreshToken, expiresIn: lifetimes.accessTokenTtlSec };
  }

  /** Single use: the refresh token and the access token issued with it die now. */
  rotate(refreshToken: string): RefreshCheck {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.used) return { ok: false, reason: 'revoked' };
    if (record.expiresAtMs <= Date.now()) return { ok: false, reason: 'expired' };
    record.used = true;
    const previous = this.accessTokens.get(record.accessToken);
    if (previous) previous.revoked = true;
    return { ok: true, pair: this.issuePair() };
  }

  check(token: string): AccessCheck {
    const record = this.accessTokens.get(token);
    if (!record) return { ok: false, reason: 'Unknown access token' };
    if (record.revoked) return { ok: false, reason: 'Access token has been revoked' };
    if (record.expiresAtMs <= Date.now()) return { ok: false, reason: 'Access token has expired' };
    return { ok: true, userId: record.userId, kind: record.kind };
  }

  /** Expires every OAuth access token now (and long-lived ones when asked); refresh tokens stay valid. */
  expireAccessTokens(includeLongLived: boolean): number {
    let expired = 0;
    const now = Date.now();
    for (const record of this.accessTokens.values()) {
      if (record.kind === 'long_lived' && !includeLongLived) continue;
      if (record.expiresAtMs > now) {
        record.expiresAtMs = now;
        expired += 1;
      }
    }
    return expired;
  }

  /** The integration is disconnected: every access and refresh token is revoked. */
  revokeOAuthTokens(): void {
    for (const record of this.accessTokens.values()) if (record.kind === 'oauth') record.revoked = true;
    for (const record of this.refreshTokens.values()) record.used = true;
  }

  issueLongLived(token?: string): string {
    const value = token ?? this.mintJwt(this.lifetimes().longLivedTokenTtlSec);
    this.accessTokens.set(value, {
      kind: 'long_lived',
      userId: this.userId,
      expiresAtMs: Date.now() + this.lifetimes().longLivedTokenTtlSec * 1000,
      revoked: false,
    });
    this.currentLongLived = value;
    return value;
  }

  revokeLongLived(): void {
    for (const record of this.accessTokens.values()) if (record.kind === 'long_lived') record.revoked = true;
  }

  get longLivedToken(): string | undefined {
    return this.currentLongLived;
  }

  /** amoCRM's tokens are JWTs; clients should treat them as opaque, but may peek at `exp`. */
  private mintJwt(ttlSec: number): string {
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const header = encode({ typ: 'JWT', alg: 'RS256', jti: randomUUID() });
    const payload = encode({
      aud: this.clientId(),
      jti: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + ttlSec,
      sub: String(this.userId),
      account_id: this.accountId,
      scopes: ['crm', 'notifications'],
    });
    return `${header}.${payload}.${randomBytes(64).toString('base64url')}`;
  }
}
