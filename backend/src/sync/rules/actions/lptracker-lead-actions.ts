import { Injectable } from '@nestjs/common';
import { LptrackerClient } from '../../../lptracker/client/lptracker-client';
import { LptrackerEchoGuardService } from '../../lptracker/lptracker-echo-guard.service';
import { planRuleAction } from '../rule-requests';
import type { RuleAction } from '../rule.types';
import type { RuleActionResult, RuleActionScope } from './rule-action.types';

type LptrackerLeadAction = Extract<
  RuleAction,
  { type: 'update_lptracker_lead' | 'call_back' } | { type: 'move_stage'; system: 'lptracker' }
>;

/**
 * The LPTracker actions on the event's linked LPTracker lead: stage and custom values (each write recorded in the
 * LPTracker echo guard, so the callback that follows is skipped as our own write and no rule answers it again), and
 * `call_back`: a new lead of the linked contact with `callback: true` (a real phone call; the client never retries
 * it, and the runner marks it before sending so a retry of the event never sends it again).
 */
@Injectable()
export class LptrackerLeadActions {
  constructor(
    private readonly client: LptrackerClient,
    private readonly echo: LptrackerEchoGuardService,
  ) {}

  async run(action: LptrackerLeadAction, scope: RuleActionScope): Promise<RuleActionResult> {
    const planned = planRuleAction(action, scope.target, Date.now() / 1000);
    if (planned.missing !== null) return { outcome: 'skipped', reason: planned.missing };
    const api = this.client.forWorkspace(scope.workspaceId, 'sync');
    const { workspaceId, trace } = scope;
    const leadId = scope.target.lptrackerLeadId;
    if (action.type === 'call_back') {
      const contactId = scope.target.lptrackerContactId;
      if (contactId === null) return { outcome: 'skipped', reason: 'no LPTracker contact' };
      const name = scope.target.lptrackerLeadName ?? undefined;
      const created = await trace.step(
        'rules: LPTracker POST /lead (callback: true)',
        () => api.createLead({ contact_id: contactId, ...(name ? { name } : {}) }, { callback: true }),
        { contactId },
      );
      return { outcome: 'done', answer: { system: 'lptracker', request: 'POST /lead', leadId: created.id } };
    }
    if (leadId === null) return { outcome: 'skipped', reason: 'no LPTracker lead' };
    const stageId = action.type === 'move_stage' ? action.stageId : action.stageId;
    const done: string[] = [];
    if (stageId !== null) {
      await this.echo.recordWrite(workspaceId, leadId, { stageId });
      await trace.step(
        `rules: LPTracker PUT /lead/${leadId}/funnel`,
        () => api.changeStage(leadId, stageId),
        {
          funnel: stageId,
        },
      );
      done.push(`PUT /lead/${leadId}/funnel`);
    }
    if (action.type === 'update_lptracker_lead' && action.custom.length > 0) {
      const custom: Record<string, string | number> = {};
      for (const field of action.custom) custom[String(field.fieldId)] = field.value;
      await this.echo.recordWrite(workspaceId, leadId, { custom });
      await trace.step(`rules: LPTracker PUT /lead/${leadId}`, () => api.updateLead(leadId, { custom }), {
        custom: Object.keys(custom),
      });
      done.push(`PUT /lead/${leadId}`);
    }
    return { outcome: 'done', answer: { system: 'lptracker', requests: done } };
  }
}
