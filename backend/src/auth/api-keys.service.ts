import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundProblem } from '../http/problem';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { apiKeyCacheKey, PrincipalCacheService } from './principal-cache.service';
import type { Actor, Principal, Role } from './principal';
import { sha256 } from './tokens.service';

const KEY_PREFIX = 'amoi_';

/** API keys for client apps: the key is shown once, only its hash is stored, revocation is immediate. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCacheService,
  ) {}

  list(principal: Principal): Promise<ApiKeyEntity[]> {
    return this.apiKeys.listActiveInWorkspace(principal.workspaceId);
  }

  async create(
    actor: Actor & { principal: Principal },
    input: { name: string; role: Role },
  ): Promise<{ apiKey: ApiKeyEntity; key: string }> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const apiKey = new ApiKeyEntity();
    apiKey.workspaceId = actor.principal.workspaceId;
    apiKey.name = input.name.trim();
    apiKey.role = input.role;
    apiKey.prefix = key.slice(0, 12);
    apiKey.keyHash = sha256(key);
    apiKey.createdBy = actor.principal.kind === 'user' ? actor.principal.id : null;
    apiKey.lastUsedAt = null;
    apiKey.revokedAt = null;
    await this.apiKeys.insert(apiKey);
    await this.audit.record(actor, {
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: apiKey.id,
      details: { name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix },
    });
    return { apiKey: (await this.apiKeys.findInWorkspace(apiKey.workspaceId, apiKey.id)) ?? apiKey, key };
  }

  async revoke(actor: Actor & { principal: Principal }, id: string): Promise<void> {
    const apiKey = await this.apiKeys.findInWorkspace(actor.principal.workspaceId, id);
    if (!apiKey || apiKey.revokedAt) throw new NotFoundProblem('The API key');
    await this.apiKeys.revoke(apiKey.id, new Date());
    await this.principals.invalidate(apiKeyCacheKey(apiKey.keyHash));
    await this.audit.record(actor, {
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: apiKey.id,
      details: { name: apiKey.name, prefix: apiKey.prefix },
    });
  }
}
