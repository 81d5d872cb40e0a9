import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../auth/principal';
import { NotFoundProblem } from '../../http/problem';
import { LptrackerClient } from '../client/lptracker-client';
import { unknownProject } from '../lptracker.problems';
import { LptrackerMetadataService } from '../metadata/lptracker-metadata.service';
import type { LptrackerProjectInfo } from '../metadata/lptracker-metadata.types';
import { LptrackerCredentialsService } from './lptracker-credentials.service';
import { usable } from './lptracker-login.service';
import { LptrackerProjectsRepository } from './lptracker-projects.repository';

/** A project the login can see, and whether this workspace has it enabled. */
export interface LptrackerVisibleProject extends LptrackerProjectInfo {
  enabled: boolean;
}

/**
 * Told when a project of a workspace is enabled or disabled, after the change is stored. The extension point for
 * what follows a project (the LPTracker webhook registration adds or removes our callback URL here); a listener
 * that throws fails the request, the stored change stays.
 */
export interface LptrackerProjectListener {
  projectEnabled(workspaceId: string, projectId: number): Promise<void>;
  projectDisabled(workspaceId: string, projectId: number): Promise<void>;
}

/** Which of the login's projects a workspace works with: list, enable, disable (history kept). */
@Injectable()
export class LptrackerProjectsService {
  private readonly logger = new Logger('Lptracker');
  private readonly listeners: LptrackerProjectListener[] = [];

  constructor(
    private readonly projects: LptrackerProjectsRepository,
    private readonly credentials: LptrackerCredentialsService,
    private readonly client: LptrackerClient,
    private readonly metadata: LptrackerMetadataService,
    private readonly audit: AuditService,
  ) {}

  /** Adds a listener (a module that follows projects registers in its onModuleInit). */
  addListener(listener: LptrackerProjectListener): void {
    this.listeners.push(listener);
  }

  /** Every project the login sees (asked from LPTracker now), the enabled ones marked. */
  async listVisible(workspaceId: string): Promise<LptrackerVisibleProject[]> {
    usable(await this.credentials.load(workspaceId));
    const visible = await this.client.forWorkspace(workspaceId, 'interactive').listProjects();
    const enabled = new Set(
      (await this.projects.listEnabled(workspaceId)).map((project) => project.projectId),
    );
    return visible.map((project) => ({ ...project, enabled: enabled.has(project.id) }));
  }

  /** Enables a project the login sees (400 naming `projectId` otherwise) and loads its metadata. */
  async enable(actor: Actor, workspaceId: string, projectId: number): Promise<void> {
    const session = usable(await this.credentials.load(workspaceId));
    const visible = await this.client.forWorkspace(workspaceId, 'interactive').listProjects();
    const project = visible.find((candidate) => candidate.id === projectId);
    if (!project) throw unknownProject(session.login, projectId, visible);
    await this.projects.enable(workspaceId, project.id, project.name, new Date());
    await this.announce(workspaceId, project.id, true);
    try {
      await this.metadata.refresh(workspaceId, 'interactive');
    } catch (error) {
      this.logger.warn(
        { workspaceId, projectId, error: error instanceof Error ? error.message : String(error) },
        'LPTracker metadata could not be loaded after enabling a project',
      );
    }
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.project_enabled',
      targetType: 'lptracker_project',
      targetId: String(project.id),
      details: { projectId: project.id, name: project.name },
    });
  }

  /** Disables an enabled project (404 when it is not enabled in this workspace); its history is kept. */
  async disable(actor: Actor, workspaceId: string, projectId: number): Promise<void> {
    const project = await this.projects.findEnabled(workspaceId, projectId);
    if (!project || !(await this.projects.disable(workspaceId, projectId, new Date())))
      throw new NotFoundProblem('An enabled LPTracker project with this id');
    await this.announce(workspaceId, projectId, false);
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.project_disabled',
      targetType: 'lptracker_project',
      targetId: String(projectId),
      details: { projectId, name: project.name },
    });
  }

  /** Tells every listener that a project was enabled or disabled. */
  async announce(workspaceId: string, projectId: number, enabled: boolean): Promise<void> {
    for (const listener of this.listeners) {
      if (enabled) await listener.projectEnabled(workspaceId, projectId);
      else await listener.projectDisabled(workspaceId, projectId);
    }
  }
}
