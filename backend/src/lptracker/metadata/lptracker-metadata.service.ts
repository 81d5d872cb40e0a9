import { Injectable, Logger } from '@nestjs/common';
import type { LimiterLane } from '../../redis/rate-limiter';
import { LptrackerClient } from '../client/lptracker-client';
import { LptrackerConnectionsRepository } from '../connection/lptracker-connections.repository';
import { LptrackerProjectsRepository } from '../connection/lptracker-projects.repository';
import { LptrackerError } from '../lptracker.problems';
import { LptrackerMetadataRepository } from './lptracker-metadata.repository';
import type { LptrackerProjectMetadata } from './lptracker-metadata.types';

/**
 * The metadata cache per workspace and enabled project: lead custom fields (`customs`), contact fields, funnel
 * stages and staff, with the project's name and domain. Refreshed on connect, when a project is enabled, hourly
 * and on demand; read by mappings.
 */
@Injectable()
export class LptrackerMetadataService {
  private readonly logger = new Logger('Lptracker');

  constructor(
    private readonly client: LptrackerClient,
    private readonly snapshots: LptrackerMetadataRepository,
    private readonly projects: LptrackerProjectsRepository,
    private readonly connections: LptrackerConnectionsRepository,
  ) {}

  /**
   * Reloads every enabled project (3 calls each, plus the project list and the staff, through the login's limiter)
   * and stores each snapshot. A failure is recorded as the connection's last error and thrown.
   */
  async refresh(workspaceId: string, lane: LimiterLane = 'sync'): Promise<LptrackerProjectMetadata[]> {
    const api = this.client.forWorkspace(workspaceId, lane);
    try {
      const enabled = await this.projects.listEnabled(workspaceId);
      const [visible, staff] = await Promise.all([api.listProjects(), api.listStaff()]);
      for (const project of enabled) {
        const info = visible.find((candidate) => candidate.id === project.projectId) ?? {
          id: project.projectId,
          name: project.name,
          domain: null,
        };
        if (info.name !== project.name) await this.projects.rename(workspaceId, info.id, info.name);
        const [customs, contactFields, funnel] = await Promise.all([
          api.listCustoms(info.id),
          api.listContactFields(info.id),
          api.listFunnel(info.id),
        ]);
        await this.snapshots.upsert(
          workspaceId,
          { project: info, customs, contactFields, funnel, staff },
          new Date(),
        );
      }
      await this.recordOk(workspaceId);
    } catch (error) {
      if (error instanceof LptrackerError) await this.recordError(workspaceId, error.message);
      throw error;
    }
    return this.getMetadata(workspaceId);
  }

  /** Refreshes every connected workspace (the hourly job); one failure does not stop the others. */
  async refreshAllConnected(): Promise<{ refreshed: number; failed: number }> {
    let refreshed = 0;
    let failed = 0;
    for (const connection of await this.connections.listConnected()) {
      try {
        await this.refresh(connection.workspaceId, 'sync');
        refreshed += 1;
      } catch (error) {
        failed += 1;
        this.logger.warn(
          {
            workspaceId: connection.workspaceId,
            error: error instanceof Error ? error.message : String(error),
          },
          'LPTracker metadata refresh failed',
        );
      }
    }
    return { refreshed, failed };
  }

  /** The cached metadata of the workspace's enabled projects (empty when none was fetched yet). */
  async getMetadata(workspaceId: string): Promise<LptrackerProjectMetadata[]> {
    const enabled = new Set(
      (await this.projects.listEnabled(workspaceId)).map((project) => project.projectId),
    );
    return (await this.allSnapshots(workspaceId)).filter((metadata) => enabled.has(metadata.project.id));
  }

  /**
   * The cached metadata of every project of the workspace, enabled or not: a project turned off keeps its last
   * snapshot (the alerts tell a rule broken by a project turned off from one broken by a deleted field).
   */
  async allSnapshots(workspaceId: string): Promise<LptrackerProjectMetadata[]> {
    return (await this.snapshots.listByWorkspace(workspaceId)).map((row) => ({
      ...row.snapshot,
      fetchedAt: row.fetchedAt,
    }));
  }

  /** Drops every snapshot of the workspace (disconnect). */
  async forget(workspaceId: string): Promise<void> {
    await this.snapshots.deleteByWorkspace(workspaceId);
  }

  private async recordOk(workspaceId: string): Promise<void> {
    const connection = await this.connections.findByWorkspace(workspaceId);
    if (connection) await this.connections.recordOk(workspaceId, connection.id, new Date());
  }

  private async recordError(workspaceId: string, error: string): Promise<void> {
    const connection = await this.connections.findByWorkspace(workspaceId);
    if (connection) await this.connections.recordError(workspaceId, connection.id, error);
  }
}
