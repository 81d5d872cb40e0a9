import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { apiKeyCacheKey, PrincipalCacheService, userCacheKey } from './principal-cache.service';
import type { Principal } from './principal';
import { sha256 } from './tokens.service';
import { UsersRepository } from './users.repository';
import type { UserEntity } from './user.entity';

/** Turns a verified access token or an API key into the caller, re-reading state so changes apply at once. */
@Injectable()
export class PrincipalsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly cache: PrincipalCacheService,
  ) {}

  forUserId(userId: string): Promise<Principal | null> {
    return this.cache.get(userCacheKey(userId), async () => {
      const user = await this.users.findById(userId);
      return user && !user.disabledAt ? principalOfUser(user) : null;
    });
  }

  forApiKey(key: string): Promise<Principal | null> {
    if (key.length < 20 || key.length > 200) return Promise.resolve(null);
    const keyHash = sha256(key);
    return this.cache.get(apiKeyCacheKey(keyHash), () => this.loadApiKey(keyHash));
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
