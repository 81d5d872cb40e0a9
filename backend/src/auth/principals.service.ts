import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import type { Principal } from './principal';
import { sha256 } from './tokens.service';
import { UsersRepository } from './users.repository';
import type { UserEntity } from './user.entity';

const LAST_USED_RESOLUTION_MS = 60_000;

/** Turns a verified access token or an API key into the caller, re-reading state so changes apply at once. */
@Injectable()
export class PrincipalsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  async forUserId(userId: string): Promise<Principal | null> {
    const user = await this.users.findById(userId);
    return user && !user.disabledAt ? principalOfUser(user) : null;
  }

  async forApiKey(key: string): Promise<Principal | null> {
    if (key.length < 20 || key.length > 200) return null;
    const apiKey = await this.apiKeys.findActiveByHash(sha256(key));
    if (!apiKey) return null;
    const now = new Date();
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.apiKeys.touchLastUsed(apiKey.id, now);
    }
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
