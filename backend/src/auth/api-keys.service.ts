import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundProblem } from '../http/problem';
import { ForbiddenProblem } from './auth.problems';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { apiKeyCacheKey, PrincipalCacheService } from './principal-cache.service';
import { roleAtLeast, type Actor, type Principal, type Role } from './principal';
import { sha256 } from './tokens.service';

const KEY_PREFIX = 'amoi_';

/** API keys for client apps: the key is shown once, only its hash is stored, revocation is immediate. */
/** How many revoked keys the list keeps showing (the most recently revoked). */
export const LISTED_REVOKED_KEYS = 50;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCacheService,
  ) {}

  /** Active keys (newest first), then the last revoked ones, shown as revoked. */
  async list(principal: Principal): Promise<ApiKeyEntity[]> {
    const [active, revoked] = await Promise.all([
      this.apiKeys.listActiveInWorkspace(principal.workspaceId),
      this.apiKeys.listRevokedInWorkspace(principal.workspaceId, LISTED_REVOKED_KEYS),
    ]);
    return [...active, ...revoked];
  }

  async create(
    actor: Actor & { principal: Principal },
    input: { name: string; role: Role },
  ): Promise<{ apiKey: ApiKeyEntity; key: string }> {
    // Nobody grants more than they hold: a key's role may not exceed its creator's (keys are never super-admins).
    if (!roleAtLeast(actor.principal.role, input.role))
      throw new ForbiddenProblem(
        `You cannot create a key with a role above your own (${actor.principal.role}).`,
      );
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

  /**
   * Rule for changing a key (nobody changes what outranks them): a key's role never exceeds admin and the route
   * needs admin, so any admin of the workspace may revoke any of its keys; other workspaces' keys answer 404.
   */
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
