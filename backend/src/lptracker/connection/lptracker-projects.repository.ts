import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LptrackerProjectEntity } from './lptracker-project.entity';

/** The projects a workspace has enabled (or had enabled: disabling keeps the row). */
@Injectable()
export class LptrackerProjectsRepository {
  constructor(
    @InjectRepository(LptrackerProjectEntity) private readonly repo: Repository<LptrackerProjectEntity>,
  ) {}

  listByWorkspace(workspaceId: string): Promise<LptrackerProjectEntity[]> {
    return this.repo.find({ where: { workspaceId }, order: { projectId: 'ASC' } });
  }

  listEnabled(workspaceId: string): Promise<LptrackerProjectEntity[]> {
    return this.repo.find({ where: { workspaceId, enabled: true }, order: { projectId: 'ASC' } });
  }

  findEnabled(workspaceId: string, projectId: number): Promise<LptrackerProjectEntity | null> {
    return this.repo.findOneBy({ workspaceId, projectId, enabled: true });
  }

  /** Enables the project (a new row, or the kept row of an earlier time) under its current name. */
  async enable(workspaceId: string, projectId: number, name: string, at: Date): Promise<void> {
    const row = Object.assign(new LptrackerProjectEntity(), {
      workspaceId,
      projectId,
      name: name.slice(0, 255),
      enabled: true,
      enabledAt: at,
      disabledAt: null,
    });
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(LptrackerProjectEntity)
      .values(row)
      .orUpdate(['name', 'enabled', 'enabled_at', 'disabled_at'], ['workspace_id', 'project_id'])
      .execute();
  }

  /** Disables an enabled project; false when it was not enabled. */
  async disable(workspaceId: string, projectId: number, at: Date): Promise<boolean> {
    const result = await this.repo.update(
      { workspaceId, projectId, enabled: true },
      { enabled: false, disabledAt: at },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Disables every enabled project except `keep` (a reconnect with another login, a disconnect). */
  async disableAllBut(workspaceId: string, keep: number[], at: Date): Promise<void> {
    const query = this.repo
      .createQueryBuilder()
      .update(LptrackerProjectEntity)
      .set({ enabled: false, disabledAt: at })
      .where('workspace_id = :workspaceId AND enabled = :enabled', { workspaceId, enabled: true });
    if (keep.length > 0) query.andWhere('project_id NOT IN (:...keep)', { keep });
    await query.execute();
  }

  /** Keeps the stored names in step with LPTracker's. */
  async rename(workspaceId: string, projectId: number, name: string): Promise<void> {
    await this.repo.update({ workspaceId, projectId }, { name: name.slice(0, 255) });
  }
}
