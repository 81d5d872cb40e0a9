import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../auth/principal';
import { InboxEventsService } from '../../inbox/inbox-events.service';
import { WebhookSecretsService } from '../../inbox/webhook-secrets.service';
import { LptrackerClient } from '../../lptracker/client/lptracker-client';
import { LptrackerConnectionsService } from '../../lptracker/connection/lptracker-connections.service';
import {
  LptrackerProjectsService,
  type LptrackerProjectListener,
} from '../../lptracker/connection/lptracker-projects.service';
import { LPTRACKER_SERVICE_NAME } from '../../lptracker/lptracker.constants';
import { LptrackerError, LptrackerNotConnectedError } from '../../lptracker/lptracker.problems';
import { LPTRACKER_WEBHOOK_SOURCE } from '../lptracker-inbound.constants';
import { LptrackerInboundService } from '../lptracker-inbound.service';
import { callbacksOf, type ProjectCallbacks, projectCallbacks } from './callback-list';

/** Marks (in the webhook secret's row) that the admin asked for the callback: new projects get it too. */
const REGISTERED_MARK = ['leads'];

export interface LptrackerWebhookState {
  url: string;
  /** Whether the admin registered the callback (enabled projects get it, projects enabled later too). */
  wanted: boolean;
  projects: ProjectCallbacks[];
  lastReceivedAt: Date | null;
}

export interface LptrackerRotationResult {
  url: string;
  subscription: 'moved' | 'not_subscribed' | 'failed';
  detail: string | null;
}

/**
 * The workspace's LPTracker callback: its URL (secret per workspace), and its registration on every enabled project
 * (`PUT /project/{id}/callback-url` under our own name, so the customer's other callbacks are kept). A project
 * enabled later gets it too, a project disabled loses it (as a project listener).
 */
@Injectable()
export class LptrackerWebhookService implements LptrackerProjectListener, OnModuleInit {
  private readonly logger = new Logger('LptrackerWebhook');

  constructor(
    private readonly secrets: WebhookSecretsService,
    private readonly events: InboxEventsService,
    private readonly client: LptrackerClient,
    private readonly connections: LptrackerConnectionsService,
    private readonly projectsService: LptrackerProjectsService,
    private readonly inbound: LptrackerInboundService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.projectsService.addListener(this);
  }

  async state(workspaceId: string): Promise<LptrackerWebhookState> {
    const { secret, row } = await this.secrets.secretFor(workspaceId, LPTRACKER_WEBHOOK_SOURCE);
    const url = this.secrets.urlFor(LPTRACKER_WEBHOOK_SOURCE, secret);
    const projectIds = await this.enabledProjects(workspaceId);
    const projects: ProjectCallbacks[] = [];
    for (const projectId of projectIds) {
      try {
        projects.push(projectCallbacks(projectId, callbacksOf(await this.list(workspaceId, projectId)), url));
      } catch (error) {
        if (!(error instanceof LptrackerError)) throw error;
        projects.push({ projectId, registered: null, others: null, error: error.message });
      }
    }
    return {
      url,
      wanted: row.events !== null,
      projects,
      lastReceivedAt: await this.events.lastReceivedAt(workspaceId, LPTRACKER_WEBHOOK_SOURCE),
    };
  }

  /** Adds our callback to every enabled project (503 when LPTracker is not connected). */
  async register(actor: Actor, workspaceId: string): Promise<LptrackerWebhookState> {
    const projectIds = await this.requireProjects(workspaceId);
    const url = await this.secrets.webhookUrl(workspaceId, LPTRACKER_WEBHOOK_SOURCE);
    for (const projectId of projectIds) await this.put(workspaceId, projectId, url);
    await this.secrets.setEvents(workspaceId, LPTRACKER_WEBHOOK_SOURCE, REGISTERED_MARK);
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.webhook_registered',
      targetType: 'webhook',
      targetId: LPTRACKER_WEBHOOK_SOURCE,
      details: { projects: projectIds.map(String) },
    });
    return this.state(workspaceId);
  }

  /** Removes only our callback from every enabled project. */
  async unregister(actor: Actor, workspaceId: string): Promise<LptrackerWebhookState> {
    const projectIds = await this.requireProjects(workspaceId);
    for (const projectId of projectIds) await this.put(workspaceId, projectId, '');
    await this.secrets.setEvents(workspaceId, LPTRACKER_WEBHOOK_SOURCE, null);
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.webhook_unregistered',
      targetType: 'webhook',
      targetId: LPTRACKER_WEBHOOK_SOURCE,
      details: { projects: projectIds.map(String) },
    });
    return this.state(workspaceId);
  }

  /** New secret; when the callback is registered, every enabled project is moved to the new URL. */
  async rotateSecret(actor: Actor, workspaceId: string): Promise<LptrackerRotationResult> {
    const { row } = await this.secrets.secretFor(workspaceId, LPTRACKER_WEBHOOK_SOURCE);
    const { secret } = await this.secrets.rotate(workspaceId, LPTRACKER_WEBHOOK_SOURCE);
    const url = this.secrets.urlFor(LPTRACKER_WEBHOOK_SOURCE, secret);
    let result: LptrackerRotationResult = { url, subscription: 'not_subscribed', detail: null };
    if (row.events !== null) {
      try {
        for (const projectId of await this.enabledProjects(workspaceId))
          await this.put(workspaceId, projectId, url);
        result = { url, subscription: 'moved', detail: null };
      } catch (error) {
        if (!(error instanceof LptrackerError)) throw error;
        result = {
          url,
          subscription: 'failed',
          detail: `The secret was rotated, but LPTracker could not be updated (${error.message}): register again.`,
        };
      }
    }
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.webhook_secret_rotated',
      targetType: 'webhook',
      targetId: LPTRACKER_WEBHOOK_SOURCE,
      details: { subscription: result.subscription },
    });
    return result;
  }

  async projectEnabled(workspaceId: string, projectId: number): Promise<void> {
    this.inbound.projects.forget(workspaceId);
    const { secret, row } = await this.secrets.secretFor(workspaceId, LPTRACKER_WEBHOOK_SOURCE);
    if (row.events === null) return;
    await this.bestEffort(workspaceId, projectId, this.secrets.urlFor(LPTRACKER_WEBHOOK_SOURCE, secret));
  }

  async projectDisabled(workspaceId: string, projectId: number): Promise<void> {
    this.inbound.projects.forget(workspaceId);
    const { row } = await this.secrets.secretFor(workspaceId, LPTRACKER_WEBHOOK_SOURCE);
    if (row.events === null) return;
    await this.bestEffort(workspaceId, projectId, '');
  }

  private async bestEffort(workspaceId: string, projectId: number, url: string): Promise<void> {
    try {
      await this.put(workspaceId, projectId, url);
    } catch (error) {
      if (!(error instanceof LptrackerError)) throw error;
      this.logger.warn(
        { workspaceId, projectId, error: error.message },
        url === ''
          ? 'The LPTracker callback could not be removed from a disabled project'
          : 'The LPTracker callback could not be added to a newly enabled project: register it again',
      );
    }
  }

  private async enabledProjects(workspaceId: string): Promise<number[]> {
    const state = await this.connections.state(workspaceId);
    if (!state.connection || state.connection.status === 'not_connected') return [];
    return state.projects.map((project) => project.projectId);
  }

  private async requireProjects(workspaceId: string): Promise<number[]> {
    const state = await this.connections.state(workspaceId);
    if (!state.connection || state.connection.status === 'not_connected')
      throw new LptrackerNotConnectedError();
    return state.projects.map((project) => project.projectId);
  }

  private list(workspaceId: string, projectId: number): Promise<unknown> {
    return this.client
      .forWorkspace(workspaceId, 'interactive')
      .request({ method: 'GET', path: `/project/${projectId}/callback-url` });
  }

  /** Sets our entry (by our name) on a project; an empty URL removes only it. */
  private async put(workspaceId: string, projectId: number, url: string): Promise<void> {
    await this.client.forWorkspace(workspaceId, 'interactive').request({
      method: 'PUT',
      path: `/project/${projectId}/callback-url`,
      body: { url, name: LPTRACKER_SERVICE_NAME },
    });
  }
}
