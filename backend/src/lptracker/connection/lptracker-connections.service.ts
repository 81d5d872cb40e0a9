import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../auth/principal';
import { withNamedLock } from '../../database/named-lock';
import { ValidationProblem } from '../../http/problem';
import { LptrackerClient } from '../client/lptracker-client';
import { LptrackerError, unknownProject } from '../lptracker.problems';
import { LptrackerMetadataService } from '../metadata/lptracker-metadata.service';
import { LptrackerConnectionEntity } from './lptracker-connection.entity';
import { LptrackerConnectionsRepository } from './lptracker-connections.repository';
import { LptrackerCredentialsService } from './lptracker-credentials.service';
import { LptrackerLoginService, usable } from './lptracker-login.service';
import type { LptrackerProjectEntity } from './lptracker-project.entity';
import { LptrackerProjectsRepository } from './lptracker-projects.repository';
import { LptrackerProjectsService } from './lptracker-projects.service';

export interface ConnectLptrackerInput {
  login: string;
  password: string;
  projectId: number;
}

/** The connection as the console shows it: the stored row (null: never connected) and the enabled projects. */
export interface LptrackerConnectionState {
  connection: LptrackerConnectionEntity | null;
  projects: LptrackerProjectEntity[];
}

/**
 * The workspace's LPTracker connection as the admin manages it: connect with a login, a password and a first
 * project (everything checked with LPTracker before anything is stored), check, disconnect.
 */
@Injectable()
export class LptrackerConnectionsService {
  private readonly logger = new Logger('Lptracker');

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: LptrackerConnectionsRepository,
    private readonly projects: LptrackerProjectsRepository,
    private readonly credentials: LptrackerCredentialsService,
    private readonly logins: LptrackerLoginService,
    private readonly client: LptrackerClient,
    private readonly metadata: LptrackerMetadataService,
    private readonly projectsService: LptrackerProjectsService,
    private readonly audit: AuditService,
  ) {}

  async state(workspaceId: string): Promise<LptrackerConnectionState> {
    const connection = await this.connections.findByWorkspace(workspaceId);
    const projects =
      connection && connection.status !== 'not_connected' ? await this.projects.listEnabled(workspaceId) : [];
    return { connection, projects };
  }

  /**
   * Logs in, checks that the login sees the project, then stores the login, the sealed password and token, and
   * enables the project. Refused credentials answer 400 naming `password`, an unknown project 400 naming
   * `projectId`, LPTracker down 503; nothing is stored then.
   */
  async connect(
    actor: Actor,
    workspaceId: string,
    input: ConnectLptrackerInput,
  ): Promise<LptrackerConnectionState> {
    const login = input.login.trim();
    const result = await this.logins.login(login, input.password, 'interactive');
    if (!result.ok) {
      throw new ValidationProblem([
        {
          field: 'password',
          message: `LPTracker refused this login and password (${result.code ?? 'error'}: ${result.message}).`,
          code: 'lptrackerLoginRefused',
        },
      ]);
    }
    const visible = await this.client.withToken({ login, token: result.token }).listProjects();
    const project = visible.find((candidate) => candidate.id === input.projectId);
    if (!project) throw unknownProject(login, input.projectId, visible);
    const now = new Date();
    const previous = await this.writeConnection(workspaceId, (connection) => {
      connection.login = login;
      connection.password = this.credentials.seal(connection.id, 'password', input.password);
      connection.token = this.credentials.seal(connection.id, 'token', result.token);
      connection.tokenIssuedAt = now;
      connection.status = 'connected';
      connection.lastError = null;
      connection.lastOkAt = now;
      connection.connectedAt = now;
    });
    // another login (or projects this login no longer sees): what was enabled before is disabled, history kept
    const keep = previous?.login.toLowerCase() === login.toLowerCase() ? visible.map((p) => p.id) : [];
    const dropped = (await this.projects.listEnabled(workspaceId)).filter(
      (enabled) => !keep.includes(enabled.projectId) && enabled.projectId !== project.id,
    );
    await this.projects.disableAllBut(workspaceId, [...keep, project.id], now);
    for (const gone of dropped) await this.projectsService.announce(workspaceId, gone.projectId, false);
    await this.projects.enable(workspaceId, project.id, project.name, now);
    await this.projectsService.announce(workspaceId, project.id, true);
    await this.loadMetadata(workspaceId);
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.connected',
      targetType: 'lptracker_connection',
      targetId: (await this.connections.findByWorkspace(workspaceId))?.id,
      details: { login, projectId: project.id, projectName: project.name },
    });
    return this.state(workspaceId);
  }

  /** Asks LPTracker once (re-logging in if the token died): lastOkAt or lastError is recorded; errors are thrown. */
  async check(workspaceId: string): Promise<LptrackerConnectionState> {
    const session = usable(await this.credentials.load(workspaceId));
    try {
      const visible = await this.client.forWorkspace(workspaceId, 'interactive').listProjects();
      for (const project of await this.projects.listEnabled(workspaceId)) {
        const seen = visible.find((candidate) => candidate.id === project.projectId);
        if (seen && seen.name !== project.name) await this.projects.rename(workspaceId, seen.id, seen.name);
      }
      await this.connections.recordOk(workspaceId, session.id, new Date());
    } catch (error) {
      if (error instanceof LptrackerError)
        await this.connections.recordError(workspaceId, session.id, error.message);
      throw error;
    }
    return this.state(workspaceId);
  }

  /** Disconnects: password and token wiped, every project disabled (their history kept), metadata dropped. */
  async disconnect(actor: Actor, workspaceId: string): Promise<void> {
    const existing = await this.connections.findByWorkspace(workspaceId);
    if (!existing || existing.status === 'not_connected') return;
    await this.writeConnection(workspaceId, (connection) => {
      connection.password = null;
      connection.token = null;
      connection.tokenIssuedAt = null;
      connection.status = 'not_connected';
      connection.lastError = null;
      connection.connectedAt = null;
    });
    for (const project of await this.projects.listEnabled(workspaceId)) {
      await this.projects.disable(workspaceId, project.projectId, new Date());
      await this.projectsService.announce(workspaceId, project.projectId, false);
    }
    await this.metadata.forget(workspaceId);
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.disconnected',
      targetType: 'lptracker_connection',
      targetId: existing.id,
      details: { login: existing.login },
    });
  }

  /**
   * Creates or rewrites the workspace's row under a database lock (one writer at a time across processes); every
   * rewrite bumps the token version, so calls holding the old token notice. Answers the row as it was before.
   */
  private async writeConnection(
    workspaceId: string,
    change: (connection: LptrackerConnectionEntity) => void,
  ): Promise<LptrackerConnectionEntity | null> {
    return withNamedLock(this.dataSource, `lptracker_connection_${workspaceId}`, 15, async () => {
      const existing = await this.connections.findByWorkspace(workspaceId);
      const previous = existing ? Object.assign(new LptrackerConnectionEntity(), existing) : null;
      const connection =
        existing ?? Object.assign(new LptrackerConnectionEntity(), { workspaceId, tokenVersion: 0 });
      change(connection);
      if (existing) {
        await this.connections.reconfigure(connection);
      } else {
        connection.tokenVersion = 1;
        await this.connections.insert(connection);
      }
      this.credentials.forget(connection.id);
      return previous;
    });
  }

  /** Metadata right after connecting; a failure leaves the connection connected (the hourly job retries). */
  private async loadMetadata(workspaceId: string): Promise<void> {
    try {
      await this.metadata.refresh(workspaceId, 'interactive');
    } catch (error) {
      this.logger.warn(
        { workspaceId, error: error instanceof Error ? error.message : String(error) },
        'LPTracker metadata could not be loaded after connecting',
      );
    }
  }
}
