import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../auth/principal';
import { WorkspacesRepository } from '../../auth/workspaces.repository';
import { InboxIntakeService } from '../../inbox/inbox-intake.service';
import { WebhookSecretsService } from '../../inbox/webhook-secrets.service';
import { LptrackerClient } from '../../lptracker/client/lptracker-client';
import { listOf } from '../../lptracker/client/lptracker-read';
import { LptrackerConnectionsService } from '../../lptracker/connection/lptracker-connections.service';
import { LptrackerNotConnectedError } from '../../lptracker/lptracker.problems';
import {
  LPTRACKER_RECONCILE_SOURCE,
  RECONCILE_MAX_PAGES,
  RECONCILE_OVERLAP_SECONDS,
  RECONCILE_PAGE_SIZE,
} from '../lptracker-inbound.constants';
import type { LptrackerReconcileCounts } from './lptracker-reconcile-state.entity';
import { LptrackerReconcileStatesRepository } from './lptracker-reconcile-states.repository';

/** A first pass looks this far back. */
export const FIRST_PASS_SECONDS = 24 * 3600;

export interface LptrackerReconcileResult {
  since: number;
  counts: LptrackerReconcileCounts;
}

/**
 * Catches lost LPTracker callbacks: reads the leads of every enabled project updated since the last good pass
 * (`GET /lead/{project_id}/list?filter[updated_at_from]`) and feeds them, a page per delivery, through the inbox as
 * source `lptracker-reconcile` (key `project_id:id:reconcile:updated_at`: a lead version read twice is one change).
 * On demand, and on the schedule of `LptrackerReconcileProcessor`.
 */
@Injectable()
export class LptrackerReconcileService {
  private readonly logger = new Logger('LptrackerReconcile');

  constructor(
    private readonly states: LptrackerReconcileStatesRepository,
    private readonly connections: LptrackerConnectionsService,
    private readonly client: LptrackerClient,
    private readonly secrets: WebhookSecretsService,
    private readonly intake: InboxIntakeService,
    private readonly audit: AuditService,
    private readonly workspaces: WorkspacesRepository,
  ) {}

  status(workspaceId: string): ReturnType<LptrackerReconcileStatesRepository['find']> {
    return this.states.find(workspaceId);
  }

  /** A pass for every workspace with LPTracker connected (the schedule); a failing workspace does not stop the rest. */
  async runAll(): Promise<{ done: number; failed: number }> {
    let done = 0;
    let failed = 0;
    for (const workspace of await this.workspaces.listAll()) {
      const state = await this.connections.state(workspace.id);
      if (!state.connection || state.connection.status !== 'connected') continue;
      try {
        await this.run(null, workspace.id);
        done += 1;
      } catch {
        failed += 1; // recorded as the workspace's lastError and logged by run
      }
    }
    return { done, failed };
  }

  async run(actor: Actor | null, workspaceId: string): Promise<LptrackerReconcileResult> {
    const state = await this.connections.state(workspaceId);
    if (!state.connection || state.connection.status === 'not_connected')
      throw new LptrackerNotConnectedError();
    const projectIds = state.projects.map((project) => project.projectId);
    const startedAt = new Date();
    const start = Math.floor(startedAt.getTime() / 1000);
    const previous = await this.states.find(workspaceId);
    const since =
      previous?.watermark != null
        ? previous.watermark - RECONCILE_OVERLAP_SECONDS
        : start - FIRST_PASS_SECONDS;
    await this.states.markStarted(workspaceId, since, startedAt);
    const counts: LptrackerReconcileCounts = { seen: 0, pages: 0 };
    try {
      const { secret } = await this.secrets.secretFor(workspaceId, LPTRACKER_RECONCILE_SOURCE);
      const api = this.client.forWorkspace(workspaceId, 'sync');
      for (const projectId of projectIds) {
        for (let page = 0; page < RECONCILE_MAX_PAGES; page += 1) {
          const leads = listOf(
            await api.request({
              method: 'GET',
              path: `/lead/${projectId}/list`,
              query: {
                offset: page * RECONCILE_PAGE_SIZE,
                limit: RECONCILE_PAGE_SIZE,
                'filter[updated_at_from]': since,
              },
            }),
          ).map((lead) => ({ ...lead, project_id: lead.project_id ?? projectId }));
          if (leads.length === 0) break;
          await this.intake.receive({
            source: LPTRACKER_RECONCILE_SOURCE,
            secret,
            headers: { 'content-type': 'application/json', 'user-agent': 'lptracker-reconcile' },
            rawBody: Buffer.from(JSON.stringify({ leads })),
            remoteIp: 'internal',
          });
          counts.seen += leads.length;
          counts.pages += 1;
          if (leads.length < RECONCILE_PAGE_SIZE) break;
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.states.markFailed(workspaceId, message, { counts }, new Date());
      this.logger.warn({ workspaceId, error: message }, 'LPTracker reconciliation failed');
      throw error;
    }
    await this.states.markSucceeded(workspaceId, start, { counts }, new Date());
    await this.audit.record(actor, {
      workspaceId,
      action: 'lptracker.reconciled',
      targetType: 'workspace',
      targetId: workspaceId,
      details: { since, ...counts },
    });
    return { since, counts };
  }
}
