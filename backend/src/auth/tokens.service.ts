import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { newId } from '../database/columns';
import { UnauthorizedProblem } from './auth.problems';
import { PrincipalCacheService, sessionCacheKey, userCacheKey } from './principal-cache.service';
import type { Role } from './principal';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import type { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
export const JWT_ALGORITHM = 'HS256';

export interface AccessTokenPayload {
  sub: string;
  wid: string;
  role: Role;
  typ: 'access';
  /** The session: the refresh-token family. Logout and refresh-token reuse close it, and its tokens die. */
  sid: string;
  /** The user's session version when issued; a password change or reset, disabling or deleting bumps it. */
  sv: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type RefreshOutcome =
  | { kind: 'ok'; token: RefreshTokenEntity }
  | { kind: 'invalid' }
  | { kind: 'reused'; token: RefreshTokenEntity };

/**
 * Issues access JWTs and opaque, rotating refresh tokens (`<id>.<secret>`, only a hash of the secret kept), and ends
 * sessions so that access tokens already issued stop working at once (checked by the JWT strategy through the
 * principal cache, which every process drops over Redis when a session ends).
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
    private readonly cache: PrincipalCacheService,
  ) {}

  /**
   * A new pair carrying the user's current session version: in a new session, or continuing session `familyId`
   * (a refresh). A session closed while the pair was being made (reuse detected by a concurrent refresh, logout)
   * stays closed: the pair is revoked with it and the caller gets 401.
   */
  async issuePair(user: UserEntity, ip: string, continuedFamilyId?: string): Promise<TokenPair> {
    const familyId = continuedFamilyId ?? newId();
    // Read afresh: the caller's entity may predate a bump (e.g. the own password change that just ended the rest).
    const sessionVersion = (await this.users.findSessionVersion(user.id)) ?? user.sessionVersion;
    const payload: AccessTokenPayload = {
      sub: user.id,
      wid: user.workspaceId,
      role: user.role,
      typ: 'access',
      sid: familyId,
      sv: sessionVersion,
    };
    const accessToken = await this.jwt.signAsync(payload, {
      algorithm: JWT_ALGORITHM,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    });
    const secret = randomBytes(32).toString('base64url');
    const row = new RefreshTokenEntity();
    row.userId = user.id;
    row.familyId = familyId;
    row.tokenHash = sha256(secret);
    row.expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    row.usedAt = null;
    row.revokedAt = null;
    row.createdIp = ip.slice(0, 64);
    row.actingWorkspaceId = null; // a continued session keeps its choice on its earlier tokens (familyState)
    await this.refreshTokens.insert(row);
    // Either the closing UPDATE ran before this check and is seen here, or it ran after the insert and caught it.
    if (continuedFamilyId && (await this.refreshTokens.hasRevokedToken(familyId))) {
      await this.revokeFamily(familyId);
      throw new UnauthorizedProblem('This session has been closed. Log in again.', 'invalid-refresh-token');
    }
    return { accessToken, refreshToken: `${row.id}.${secret}`, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Uses a refresh token once. A token presented a second time reports `reused` (and the caller revokes the family). */
  async consumeRefreshToken(presented: string): Promise<RefreshOutcome> {
    const token = await this.find(presented);
    if (!token || token.expiresAt.getTime() < Date.now()) return { kind: 'invalid' };
    if (token.usedAt || token.revokedAt)
      return token.revokedAt && !token.usedAt ? { kind: 'invalid' } : { kind: 'reused', token };
    const marked = await this.refreshTokens.markUsed(token.id, new Date());
    return marked ? { kind: 'ok', token } : { kind: 'reused', token };
  }

  /** The token's row when the presented secret matches, whatever its state. */
  async find(presented: string): Promise<RefreshTokenEntity | null> {
    const [id, secret] = presented.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return null;
    const token = await this.refreshTokens.findById(id);
    if (!token) return null;
    const given = Buffer.from(sha256(secret), 'hex');
    const stored = Buffer.from(token.tokenHash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored) ? token : null;
  }

  /** The workspace session `familyId` acts in from now on (null: the user's own); applies at once everywhere. */
  async setActingWorkspace(familyId: string, workspaceId: string | null): Promise<void> {
    await this.refreshTokens.setActingWorkspace(familyId, workspaceId);
    await this.cache.invalidate(sessionCacheKey(familyId));
  }

  /** Ends one session (logout, refresh-token reuse): its refresh tokens and its access tokens stop working. */
  async revokeFamily(familyId: string): Promise<void> {
    await this.refreshTokens.revokeFamily(familyId, new Date());
    await this.cache.invalidate(sessionCacheKey(familyId));
  }

  /**
   * Ends every session of the user (password changed or reset, disabled, deleted): all refresh tokens are revoked
   * and the session version is bumped, so access tokens issued before are refused on their next request.
   */
  async revokeAllOfUser(userId: string): Promise<void> {
    await this.refreshTokens.revokeAllOfUser(userId, new Date());
    await this.users.bumpSessionVersion(userId);
    await this.cache.invalidate(userCacheKey(userId));
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
