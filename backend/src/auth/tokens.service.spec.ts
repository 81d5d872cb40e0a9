import { JwtService } from '@nestjs/jwt';
import type { PrincipalCacheService } from './principal-cache.service';
import type { RefreshTokenEntity } from './refresh-token.entity';
import type { RefreshTokensRepository } from './refresh-tokens.repository';
import { JWT_ALGORITHM, TokensService, type AccessTokenPayload } from './tokens.service';
import type { UserEntity } from './user.entity';
import type { UsersRepository } from './users.repository';

/** The refresh-token table in memory, with the statements TokensService uses. */
class FakeRefreshTokens {
  readonly rows: RefreshTokenEntity[] = [];
  /** Runs right after an insert: lets a test close the session "concurrently". */
  afterInsert: () => void = () => undefined;

  insert(token: RefreshTokenEntity): Promise<void> {
    this.rows.push(token);
    this.afterInsert();
    return Promise.resolve();
  }

  hasRevokedToken(familyId: string): Promise<boolean> {
    return Promise.resolve(this.rows.some((row) => row.familyId === familyId && row.revokedAt !== null));
  }

  revokeFamily(familyId: string, at: Date): Promise<void> {
    for (const row of this.rows) if (row.familyId === familyId && !row.revokedAt) row.revokedAt = at;
    return Promise.resolve();
  }

  revokeAllOfUser(userId: string, at: Date): Promise<void> {
    for (const row of this.rows) if (row.userId === userId && !row.revokedAt) row.revokedAt = at;
    return Promise.resolve();
  }
}

class FakeUsers {
  versions = new Map<string, number>();

  findSessionVersion(id: string): Promise<number | null> {
    return Promise.resolve(this.versions.get(id) ?? null);
  }

  bumpSessionVersion(id: string): Promise<void> {
    this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
    return Promise.resolve();
  }
}

class FakeCache {
  readonly invalidated: string[] = [];

  invalidate(key: string): Promise<void> {
    this.invalidated.push(key);
    return Promise.resolve();
  }
}

describe('TokensService', () => {
  const jwt = new JwtService({ secret: 'unit-test-secret', signOptions: { algorithm: JWT_ALGORITHM } });
  let refreshTokens: FakeRefreshTokens;
  let users: FakeUsers;
  let cache: FakeCache;
  let tokens: TokensService;
  const user = { id: 'u1', workspaceId: 'w1', role: 'manager', sessionVersion: 0 } as UserEntity;

  beforeEach(() => {
    refreshTokens = new FakeRefreshTokens();
    users = new FakeUsers();
    users.versions.set(user.id, 0);
    cache = new FakeCache();
    tokens = new TokensService(
      jwt,
      refreshTokens as unknown as RefreshTokensRepository,
      users as unknown as UsersRepository,
      cache as unknown as PrincipalCacheService,
    );
  });

  const claimsOf = (accessToken: string): AccessTokenPayload & { exp: number } =>
    jwt.verify<AccessTokenPayload & { exp: number }>(accessToken);

  it('puts the session and the user’s current session version (not the caller’s stale copy) in the token', async () => {
    await users.bumpSessionVersion(user.id); // e.g. the own password change that just ended the other sessions
    const pair = await tokens.issuePair(user, '127.0.0.1');
    const claims = claimsOf(pair.accessToken);
    expect(claims).toMatchObject({ sub: 'u1', typ: 'access', sv: 1 });
    expect(claims.sid).toBe(refreshTokens.rows[0].familyId);
    expect(typeof claims.exp).toBe('number');
  });

  it('a refresh continues its session', async () => {
    const first = await tokens.issuePair(user, '127.0.0.1');
    const sid = claimsOf(first.accessToken).sid;
    const next = await tokens.issuePair(user, '127.0.0.1', sid);
    expect(claimsOf(next.accessToken).sid).toBe(sid);
  });

  it('a session closed while a refresh was making its pair stays closed: the new pair is revoked, 401', async () => {
    const first = await tokens.issuePair(user, '127.0.0.1');
    const sid = claimsOf(first.accessToken).sid;
    // A concurrent refresh with the same token detected the reuse and closed the session after our rotation.
    refreshTokens.afterInsert = () => {
      refreshTokens.afterInsert = () => undefined;
      for (const row of refreshTokens.rows.slice(0, -1)) row.revokedAt = new Date();
    };
    await expect(tokens.issuePair(user, '127.0.0.1', sid)).rejects.toMatchObject({
      problem: { status: 401, type: 'urn:problem-type:invalid-refresh-token' },
    });
    expect(refreshTokens.rows.every((row) => row.revokedAt !== null)).toBe(true);
    expect(cache.invalidated).toContain(`session:${sid}`);
  });

  it('ending every session of a user revokes the refresh tokens, bumps the version, drops the cached user', async () => {
    await tokens.issuePair(user, '127.0.0.1');
    await tokens.revokeAllOfUser(user.id);
    expect(refreshTokens.rows.every((row) => row.revokedAt !== null)).toBe(true);
    expect(users.versions.get(user.id)).toBe(1);
    expect(cache.invalidated).toContain('user:u1');
  });
});
