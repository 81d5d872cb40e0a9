import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AMOCRM_WEBHOOK_SOURCE } from '../amocrm-inbound/amocrm-inbound.constants';
import { AmocrmConnectionEntity } from '../amocrm/connection/amocrm-connection.entity';
import { WebhookSecretEntity } from '../inbox/webhook-secret.entity';
import { LPTRACKER_WEBHOOK_SOURCE } from '../lptracker-inbound/lptracker-inbound.constants';
import { LptrackerConnectionEntity } from '../lptracker/connection/lptracker-connection.entity';
import type { ChecklistDto, ChecklistStep } from './dashboard-stats.dto';

/**
 * The first steps of a new workspace, each ticked from what is stored: amoCRM connected, its webhook subscribed
 * through the service, LPTracker connected, a mapping saved by a person (version > 1), and an LPTracker event
 * processed `done` (a test lead went through).
 */
@Injectable()
export class DashboardChecklistService {
  constructor(private readonly db: DataSource) {}

  async checklist(workspaceId: string): Promise<ChecklistDto> {
    const [amocrm, webhook, lptracker, mapping, testLead] = await Promise.all([
      this.db.getRepository(AmocrmConnectionEntity).findOne({ where: { workspaceId } }),
      this.db
        .getRepository(WebhookSecretEntity)
        .findOne({ where: { workspaceId, source: AMOCRM_WEBHOOK_SOURCE } }),
      this.db.getRepository(LptrackerConnectionEntity).findOne({ where: { workspaceId } }),
      this.db.query<unknown[]>(
        `SELECT 1 AS x FROM lptracker_mappings
          WHERE workspace_id = ? AND version > 1 AND created_by IS NOT NULL LIMIT 1`,
        [workspaceId],
      ),
      this.db.query<unknown[]>(
        `SELECT 1 AS x FROM inbox_events WHERE workspace_id = ? AND source = ? AND status = 'done' LIMIT 1`,
        [workspaceId, LPTRACKER_WEBHOOK_SOURCE],
      ),
    ]);
    const done: Record<ChecklistStep, boolean> = {
      amocrm: amocrm?.status === 'connected',
      webhooks: (webhook?.events?.length ?? 0) > 0,
      lptracker: lptracker?.status === 'connected',
      mapping: mapping.length > 0,
      testLead: testLead.length > 0,
    };
    const steps = (Object.keys(done) as ChecklistStep[]).map((step) => ({ step, done: done[step] }));
    return { steps, complete: steps.every((step) => step.done) };
  }
}
