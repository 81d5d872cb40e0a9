import { Injectable } from '@nestjs/common';
import type { JsonObject } from '../database/columns';
import type { InboxEventView, ProcessingContext } from '../inbox/source-adapter';
import type { LptrackerCallRecord } from '../lptracker/client/lptracker-call-read';
import { LptrackerClient } from '../lptracker/client/lptracker-client';
import type { LptrackerLead } from '../lptracker/lptracker-lead.types';
import { LptrackerMetadataService } from '../lptracker/metadata/lptracker-metadata.service';
import { CallResultsService } from '../sync/call-results/call-results.service';
import { lptrackerCallRows } from '../sync/call-results/lptracker-calls';
import { LptrackerLinksService } from '../sync/lptracker/lptracker-links.service';
import { RuleRunnerService } from '../sync/rules/rule-runner.service';
import { lptrackerLeadTarget } from '../sync/rules/rule-target';

/** `action_update_fields` entries that say the lead's calls changed. */
const CALL_FIELDS = ['calls', 'calls_records', 'call', 'calls_record'];

/**
 * The calls of an LPTracker lead delivery into call results (source `lptracker`): the payload's `calls_records`, or
 * — only when the delivery says the calls changed but carries none — one `GET /lead/{id}/calls`. Rows already stored
 * are skipped; the ones this event recorded (on a retry too: `originRef` = the event) run the rules of source
 * `lptracker` with the event `call.finished`, one change key per call, so done-markers keep actions from repeating.
 */
@Injectable()
export class LptrackerCallsRecorder {
  constructor(
    private readonly client: LptrackerClient,
    private readonly metadata: LptrackerMetadataService,
    private readonly calls: CallResultsService,
    private readonly links: LptrackerLinksService,
    private readonly rules: RuleRunnerService,
  ) {}

  async record(
    event: InboxEventView,
    lead: LptrackerLead,
    context: ProcessingContext,
  ): Promise<{ calls: JsonObject | null; acted: boolean }> {
    if (lead.action === 'delete') return { calls: null, acted: false };
    const sent = await this.callsOf(event.workspaceId, lead, context);
    if (sent.length === 0) return { calls: null, acted: false };
    const names = await this.staffNames(event.workspaceId);
    const { rows, skipped } = lptrackerCallRows(
      { id: lead.id, phones: lead.contact.phones },
      sent,
      (ownerId) => names.get(ownerId) ?? null,
    );
    const summary = await this.calls.record(event.workspaceId, rows, 'lptracker', { originRef: event.id });
    const created = summary.rows.flatMap((row) => (row.outcome === 'created' ? [row.id] : []));
    const calls: JsonObject = {
      created: summary.created,
      duplicates: summary.duplicates,
      invalid: summary.invalid,
      notFinished: skipped,
    };
    context.note(`LPTracker: calls of lead ${lead.id} recorded`, calls);
    const acted = await this.runRules(event, lead, created, context);
    return { calls, acted };
  }

  private async callsOf(
    workspaceId: string,
    lead: LptrackerLead,
    context: ProcessingContext,
  ): Promise<LptrackerCallRecord[]> {
    if (lead.calls) return lead.calls;
    const changed = (lead.updateFields ?? []).some((field) => CALL_FIELDS.includes(field.toLowerCase()));
    if (!changed) return [];
    return context.step(`LPTracker: GET /lead/${lead.id}/calls`, () =>
      this.client.forWorkspace(workspaceId, 'sync').listCalls(lead.id),
    );
  }

  private async staffNames(workspaceId: string): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    for (const project of await this.metadata.getMetadata(workspaceId))
      for (const person of project.staff) if (person.name) names.set(person.id, person.name.slice(0, 128));
    return names;
  }

  private async runRules(
    event: InboxEventView,
    lead: LptrackerLead,
    callIds: string[],
    context: ProcessingContext,
  ): Promise<boolean> {
    if (callIds.length === 0) return false;
    const rules = await this.rules.forRun(event.workspaceId, event.settingsVersion);
    const wanted = rules.filter(
      ({ document: { trigger } }) =>
        trigger.source === 'lptracker' && trigger.events.includes('call.finished'),
    );
    if (wanted.length === 0) return false;
    const link = await this.links.findByLptrackerLead(event.workspaceId, lead.id);
    let acted = false;
    for (const id of callIds) {
      const records = await this.rules.run(
        {
          workspaceId: event.workspaceId,
          eventId: event.id,
          changeKey: `call:${id}`,
          settingsVersion: event.settingsVersion,
          contexts: [await this.calls.ruleContext(event.workspaceId, id)],
          target: lptrackerLeadTarget(lead, link),
          leadMirrorId: link?.leadId ?? null,
          trace: context,
        },
        rules,
      );
      acted ||= records.some((record) => record.outcome === 'matched');
    }
    return acted;
  }
}
