import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { WorkspaceDisabledProblem } from './auth.problems';
import {
  apiKeyCacheKey,
  PrincipalCacheService,
  sessionCacheKey,
  userCacheKey,
  workspaceCacheKey,
  type SessionState,
  type UserAuthState,
  type WorkspaceState,
} from './principal-cache.service';
import type { Principal } from './principal';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { sha256 } from './tokens.service';
import { UsersRepository } from './users.repository';
import type { UserEntity } from './user.entity';
import { WorkspacesRepository } from './workspaces.repository';

/** What a verified access token says about its session. */
export interface AccessTokenSession {
  userId: string;
  sessionId: string;
  sessionVersion: number;
}

/** Turns a verified access token or an API key into the caller, re-reading state so changes apply at once. */
@Injectable()
export class PrincipalsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly cache: PrincipalCacheService,
  ) {}

  /**
   * The caller of a verified access token, or null when the user is gone or disabled, the token predates the
   * user's session version (password changed or reset, disabled), or its session was closed (logout, refresh
   * reuse). A super-admin acts in the workspace they opened in this session (as its admin); anyone else whose
   * workspace is turned off is refused (403 workspace-disabled). The answers come from the cache in the common
   * case: no database read per request.
   */
  async forAccessToken(token: AccessTokenSession): Promise<Principal | null> {
    const [user, session] = await Promise.all([
      this.userState(token.userId),
      this.cache.get<SessionState>(sessionCacheKey(token.sessionId), () =>
        this.refreshTokens.familyState(token.sessionId),
      ),
    ]);
    if (!user || user.sessionVersion !== token.sessionVersion || !session.open) return null;
    const own = user.principal;
    const acting = own.isSuperAdmin ? session.actingWorkspaceId : null;
    if (acting && acting !== own.workspaceId)
      return {
        ...own,
        workspaceId: acting,
        role: 'admin',
        homeWorkspaceId: own.workspaceId,
        sessionId: token.sessionId,
      };
    await this.refuseDisabled(own);
    return { ...own, sessionId: token.sessionId };
  }

  /** Whether the workspace is turned off: cached like the rest, dropped everywhere when it is turned on or off. */
  async isWorkspaceDisabled(workspaceId: string): Promise<boolean> {
    const state = await this.cache.get<WorkspaceState>(workspaceCacheKey(workspaceId), async () => ({
      disabled: Boolean((await this.workspaces.findById(workspaceId))?.disabledAt),
    }));
    return state.disabled;
  }

  /** A turned-off workspace's users and API keys are refused; the super-admin never is (they turn it on again). */
  private async refuseDisabled(principal: Principal): Promise<void> {
    if (!principal.isSuperAdmin && (await this.isWorkspaceDisabled(principal.workspaceId)))
      throw new WorkspaceDisabledProblem();
  }

  private userState(userId: string): Promise<UserAuthState | null> {
    return this.cache.get<UserAuthState | null>(userCacheKey(userId), async () => {
      const user = await this.users.findById(userId);
      return user && !user.disabledAt
        ? { principal: principalOfUser(user), sessionVersion: user.sessionVersion }
        : null;
    });
  }

  async forApiKey(key: string): Promise<Principal | null> {
    if (key.length < 20 || key.length > 200) return null;
    const keyHash = sha256(key);
    const principal = await this.cache.get<Principal | null>(apiKeyCacheKey(keyHash), () =>
      this.loadApiKey(keyHash),
    );
    if (principal) await this.refuseDisabled(principal);
    return principal;
  }

  private async loadApiKey(keyHash: string): Promise<Principal | null> {
    const apiKey = await this.apiKeys.findActiveByHash(keyHash);
    if (!apiKey) return null;
    // Recorded when the key is (re)loaded, i.e. at most every few seconds per process while it is in use.
    await this.apiKeys.touchLastUsed(apiKey.id, new Date());
    return {
      kind: 'api_key',
      id: apiKey.id,
      workspaceId: apiKey.workspaceId,
      role: apiKey.role,
      isSuperAdmin: false,
      label: `API key «${apiKey.name}»`,
    };
  }
}

export function principalOfUser(user: UserEntity): Principal {
  return {
    kind: 'user',
    id: user.id,
    workspaceId: user.workspaceId,
    role: user.role,
    isSuperAdmin: user.isSuperAdmin,
    label: user.email,
  };
}
