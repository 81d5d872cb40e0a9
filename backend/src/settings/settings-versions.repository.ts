import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

@Injectable()
export class SettingsVersionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async current(workspaceId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ version: number }[]>(
      'SELECT version FROM workspace_settings_versions WHERE workspace_id = ?',
      [workspaceId],
    );
    return Number(row?.version ?? 0);
  }

  /** Increments the version inside `manager`'s transaction and returns the new value. */
  async increment(manager: EntityManager, workspaceId: string): Promise<number> {
    await manager.query(
      `INSERT INTO workspace_settings_versions (workspace_id, version) VALUES (?, 1)
       ON DUPLICATE KEY UPDATE version = version + 1`,
      [workspaceId],
    );
    const [row] = await manager.query<{ version: number }[]>(
      'SELECT version FROM workspace_settings_versions WHERE workspace_id = ?',
      [workspaceId],
    );
    return Number(row.version);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
