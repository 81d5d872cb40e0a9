import { Injectable } from '@nestjs/common';
import { AmocrmClient } from '../../../amocrm/client/amocrm-client';
import type { JsonValue } from '../../../database/columns';
import type { UpdateLeadDto } from '../../../leads/dto/lead.dto';
import { LeadUpdateService } from '../../leads/lead-update.service';
import { mappedLeadUpdate, type RuleMapped } from '../rule-find-or-create';
import { RuleMappedService } from '../rule-mapped.service';
import { planRuleAction, type RuleRequest } from '../rule-requests';
import type { RuleAction } from '../rule.types';
import type { RuleActionResult, RuleActionScope } from './rule-action.types';

type AmocrmLeadAction = Extract<
  RuleAction,
  { type: 'add_tags' | 'add_note' | 'create_task' | 'update_lead' } | { type: 'move_stage'; system: 'amocrm' }
>;

/**
 * The amoCRM actions on the event's linked lead. Stage, tags and explicit values go through the engine's lead update
 * (checked against the metadata, under the lead's write lock, mirrored, recorded in the amoCRM echo guard so the
 * webhook that follows is skipped as our own write); notes and tasks are sent as planned (`rule-requests.ts`).
 */
@Injectable()
export class AmocrmLeadActions {
  constructor(
    private readonly updates: LeadUpdateService,
    private readonly client: AmocrmClient,
    private readonly mappings: RuleMappedService,
  ) {}

  async run(action: AmocrmLeadAction, scope: RuleActionScope): Promise<RuleActionResult> {
    const mapped =
      action.type === 'update_lead' && action.useMapping
        ? await this.mappings.mapped(scope.workspaceId, scope.subject?.lptrackerLead ?? null, null, {
            settingsVersion: scope.settingsVersion ?? 0,
          })
        : null;
    const planned = planRuleAction(action, scope.target, Date.now() / 1000, { mapped });
    if (planned.missing !== null) return { outcome: 'skipped', reason: planned.missing };
    const leadId = scope.target.amocrmLeadId;
    if (action.type === 'add_note' || action.type === 'create_task')
      return this.send(scope, planned.requests[planned.requests.length - 1]);
    if (scope.leadMirrorId === null)
      return { outcome: 'skipped', reason: `the amoCRM lead ${leadId ?? ''} has no mirror row here` };
    const mirrorId = scope.leadMirrorId;
    if (mapped) scope.trace.note(`rules: mapping of project ${mapped.projectId}, version ${mapped.version}`);
    const input = updateOf(action, mapped);
    if (input === null)
      return {
        outcome: 'skipped',
        reason:
          action.type === 'update_lead' && action.useMapping && !mapped
            ? 'no mapping applies to this event (it has no LPTracker lead with a mapping)'
            : 'no value to write',
      };
    const updated = await scope.trace.step(
      `rules: amoCRM PATCH /api/v4/leads (lead ${leadId ?? ''})`,
      () => this.updates.update(scope.workspaceId, mirrorId, input),
      { fields: Object.keys(input) },
    );
    return {
      outcome: 'done',
      answer: {
        system: 'amocrm',
        request: `PATCH /api/v4/leads`,
        leadId,
        pipelineId: updated.lead.pipelineId,
        statusId: updated.lead.statusId,
        tags: updated.lead.tags,
      },
    };
  }

  private async send(scope: RuleActionScope, request: RuleRequest): Promise<RuleActionResult> {
    const what = `${request.method} ${request.path}`;
    const method = request.method === 'PUT' ? 'PATCH' : request.method;
    const answer = await scope.trace.step(`rules: amoCRM ${what}`, () =>
      this.client
        .forWorkspace(scope.workspaceId, 'sync')
        .request<JsonValue>({ method, path: request.path, body: request.body }),
    );
    return { outcome: 'done', answer: { system: 'amocrm', request: what, status: answer.status } };
  }
}

/** The engine's update input for a stage move, tags, or the mapped values with explicit values on top. */
function updateOf(action: AmocrmLeadAction, mapped: RuleMapped | null): UpdateLeadDto | null {
  switch (action.type) {
    case 'move_stage':
      return { pipelineId: action.pipelineId, statusId: action.statusId };
    case 'add_tags':
      return { addTags: [...action.tags] };
    case 'update_lead': {
      const input: UpdateLeadDto = mapped ? mappedLeadUpdate(mapped) : {};
      const customFields: NonNullable<UpdateLeadDto['customFields']> = [...(input.customFields ?? [])];
      for (const { field, value } of action.values) {
        if (field === 'lead.name') input.name = String(value);
        else if (field === 'lead.price') input.price = Number(value);
        else {
          const match = /^lead\.custom\.(\d+)$/.exec(field);
          if (!match) continue;
          const fieldId = Number(match[1]);
          const kept = customFields.filter((field) => field.fieldId !== fieldId);
          customFields.splice(0, customFields.length, ...kept, { fieldId, values: [{ value }] });
        }
      }
      if (customFields.length > 0) input.customFields = customFields;
      return Object.keys(input).length > 0 ? input : null;
    }
    default:
      return null;
  }
}
