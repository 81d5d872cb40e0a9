import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import { LptrackerMappingEntity } from './lptracker-mapping.entity';
import type { MappingDirection } from './mapping.types';

/** Reads and appends mapping versions; every query is scoped by workspace. */
@Injectable()
export class LptrackerMappingsRepository {
  private readonly rows: Repository<LptrackerMappingEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(LptrackerMappingEntity);
  }

  latest(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
  ): Promise<LptrackerMappingEntity | null> {
    return this.rows.findOne({ where: { workspaceId, projectId, direction }, order: { version: 'DESC' } });
  }

  findVersion(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    version: number,
  ): Promise<LptrackerMappingEntity | null> {
    return this.rows.findOne({ where: { workspaceId, projectId, direction, version } });
  }

  /** The newest version saved at or before `settingsVersion`, else the oldest one. */
  async forSettingsVersion(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    settingsVersion: number,
  ): Promise<LptrackerMappingEntity | null> {
    const at = await this.rows.findOne({
      where: { workspaceId, projectId, direction, settingsVersion: LessThanOrEqual(settingsVersion) },
      order: { settingsVersion: 'DESC', version: 'DESC' },
    });
    return (
      at ?? this.rows.findOne({ where: { workspaceId, projectId, direction }, order: { version: 'ASC' } })
    );
  }

  page(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    skip: number,
    take: number,
  ): Promise<[LptrackerMappingEntity[], number]> {
    return this.rows.findAndCount({
      where: { workspaceId, projectId, direction },
      order: { version: 'DESC' },
      skip,
      take,
    });
  }

  /** The current version of every (project, direction) of the workspace. */
  async latestOfWorkspace(workspaceId: string): Promise<LptrackerMappingEntity[]> {
    const heads = await this.rows
      .createQueryBuilder('m')
      .select(['m.project_id AS projectId', 'm.direction AS direction', 'MAX(m.version) AS version'])
      .where('m.workspace_id = :workspaceId', { workspaceId })
      .groupBy('m.project_id')
      .addGroupBy('m.direction')
      .getRawMany<{ projectId: string; direction: MappingDirection; version: number }>();
    if (heads.length === 0) return [];
    return this.rows.find({
      where: heads.map((head) => ({
        workspaceId,
        projectId: Number(head.projectId),
        direction: head.direction,
        version: Number(head.version),
      })),
    });
  }

  /** The next version number of a mapping, read inside the caller's transaction. */
  async nextVersion(
    manager: EntityManager,
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
  ): Promise<number> {
    const [row] = await manager.query<{ version: number | null }[]>(
      'SELECT MAX(version) AS version FROM lptracker_mappings WHERE workspace_id = ? AND project_id = ? AND direction = ? FOR UPDATE',
      [workspaceId, projectId, direction],
    );
    return Number(row?.version ?? 0) + 1;
  }

  insert(manager: EntityManager, row: LptrackerMappingEntity): Promise<LptrackerMappingEntity> {
    return manager.getRepository(LptrackerMappingEntity).save(row);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
