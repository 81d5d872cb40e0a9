import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ keyHash, revokedAt: IsNull() });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  listActiveInWorkspace(workspaceId: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { workspaceId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  /** The most recently revoked keys of the workspace (at most `limit`), newest revocation first. */
  listRevokedInWorkspace(workspaceId: string, limit: number): Promise<ApiKeyEntity[]> {
    return this.repo.find({
      where: { workspaceId, revokedAt: Not(IsNull()) },
      order: { revokedAt: 'DESC' },
      take: limit,
    });
  }

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.repo.insert(key);
  }

  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: at });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }
}
