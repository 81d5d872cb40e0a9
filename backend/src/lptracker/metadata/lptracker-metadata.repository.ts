import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LptrackerMetadataEntity } from './lptracker-metadata.entity';
import type { LptrackerProjectMetadataSnapshot } from './lptracker-metadata.types';

@Injectable()
export class LptrackerMetadataRepository {
  constructor(
    @InjectRepository(LptrackerMetadataEntity) private readonly repo: Repository<LptrackerMetadataEntity>,
  ) {}

  listByWorkspace(workspaceId: string): Promise<LptrackerMetadataEntity[]> {
    return this.repo.find({ where: { workspaceId }, order: { projectId: 'ASC' } });
  }

  /** Replaces the snapshot of one project of the workspace. */
  async upsert(
    workspaceId: string,
    snapshot: LptrackerProjectMetadataSnapshot,
    fetchedAt: Date,
  ): Promise<void> {
    const row = Object.assign(new LptrackerMetadataEntity(), {
      workspaceId,
      projectId: snapshot.project.id,
      snapshot,
      fetchedAt,
    });
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(LptrackerMetadataEntity)
      .values(row)
      .orUpdate(['fetched_at', 'snapshot'], ['workspace_id', 'project_id'])
      .execute();
  }

  async deleteByWorkspace(workspaceId: string): Promise<void> {
    await this.repo.delete({ workspaceId });
  }
}
