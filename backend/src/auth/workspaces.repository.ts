import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { WorkspaceEntity } from './workspace.entity';

@Injectable()
export class WorkspacesRepository {
  constructor(@InjectRepository(WorkspaceEntity) private readonly repo: Repository<WorkspaceEntity>) {}

  findById(id: string): Promise<WorkspaceEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findDefault(): Promise<WorkspaceEntity | null> {
    return this.repo.findOneBy({ isDefault: true });
  }

  listAll(): Promise<WorkspaceEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  async insert(workspace: WorkspaceEntity): Promise<WorkspaceEntity> {
    await this.repo.insert(workspace);
    return workspace;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.repo.update({ id }, { name });
  }

  /** Turns the workspace off (a date) or on again (null). */
  async setDisabled(id: string, disabledAt: Date | null): Promise<void> {
    await this.repo.update({ id }, { disabledAt });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
