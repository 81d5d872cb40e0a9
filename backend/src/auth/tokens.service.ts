import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { newId } from '../database/columns';
import type { Role } from './principal';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import type { UserEntity } from './user.entity';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
export const JWT_ALGORITHM = 'HS256';

export interface AccessTokenPayload {
  sub: string;
  wid: string;
  role: Role;
  typ: 'access';
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

/** Issues access JWTs and opaque, rotating refresh tokens (`<id>.<secret>`, only a hash of the secret kept). */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  async issuePair(user: UserEntity, ip: string, familyId = newId()): Promise<TokenPair> {
    const payload: AccessTokenPayload = {
      sub: user.id,
      wid: user.workspaceId,
      role: user.role,
      typ: 'access',
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
    await this.refreshTokens.insert(row);
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

  revokeFamily(familyId: string): Promise<void> {
    return this.refreshTokens.revokeFamily(familyId, new Date());
  }

  revokeAllOfUser(userId: string): Promise<void> {
    return this.refreshTokens.revokeAllOfUser(userId, new Date());
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
