import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
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
