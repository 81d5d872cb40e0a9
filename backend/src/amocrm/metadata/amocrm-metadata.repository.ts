import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AmocrmMetadataEntity } from './amocrm-metadata.entity';
import type { AmocrmMetadataSnapshot } from './amocrm-metadata.types';

@Injectable()
export class AmocrmMetadataRepository {
  constructor(
    @InjectRepository(AmocrmMetadataEntity) private readonly repo: Repository<AmocrmMetadataEntity>,
  ) {}

  findByWorkspace(workspaceId: string): Promise<AmocrmMetadataEntity | null> {
    return this.repo.findOneBy({ workspaceId });
  }

  /** Replaces the workspace's snapshot (one row per workspace). */
  async upsert(workspaceId: string, snapshot: AmocrmMetadataSnapshot, fetchedAt: Date): Promise<void> {
    const row = new AmocrmMetadataEntity();
    row.workspaceId = workspaceId;
    row.accountId = snapshot.account.id;
    row.snapshot = snapshot;
    row.fetchedAt = fetchedAt;
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(AmocrmMetadataEntity)
      .values(row)
      .orUpdate(['account_id', 'fetched_at', 'snapshot'], ['workspace_id'])
      .execute();
  }

  async deleteByWorkspace(workspaceId: string): Promise<void> {
    await this.repo.delete({ workspaceId });
  }
}
