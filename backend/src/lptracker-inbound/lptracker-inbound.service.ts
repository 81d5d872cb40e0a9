import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { JsonObject } from '../database/columns';
import { LptrackerConnectionsService } from '../lptracker/connection/lptracker-connections.service';
import {
  InboxBadRequest,
  InboxPermanentError,
  type InboxDelivery,
  type InboxEventView,
  type InboxVerdict,
  type ProcessingContext,
  type ProcessingOutcome,
} from '../inbox/source-adapter';
import { describeLead, parseDelivery, projectsOfSummary, type ParsedDelivery } from './lptracker-delivery';
import { LptrackerLeadSyncService } from '../sync/lptracker/lptracker-lead-sync.service';
import { refusalReason } from '../sync/lptracker/sync-refusal';
import { RuleRunnerService } from '../sync/rules/rule-runner.service';
import { LptrackerCallsRecorder } from './lptracker-calls.recorder';
import { EnabledProjectsCache } from './project-check';

/**
 * LPTracker's inbound side shared by its two inbox sources (`lptracker` callbacks, `lptracker-reconcile`): parsing
 * with the deployment's phone region, the project check on the hot path, and processing. Processing keeps what
 * arrived (the parsed leads as the event's changes, one trace line per lead) and applies each owned lead through the
 * LPTracker → amoCRM sync (`LptrackerLeadSyncService.apply`, with the settings version the event is run with); a
 * lead not applied (nothing mapped changed, our own write coming back, a delete) is skipped with its reason. A refusal
 * of the data (amoCRM 4xx, a lead amoCRM cannot take) fails the event at once; anything else is thrown to retry.
 */
@Injectable()
export class LptrackerInboundService {
  readonly projects: EnabledProjectsCache;

  constructor(
    private readonly config: AppConfig,
    connections: LptrackerConnectionsService,
    private readonly sync: LptrackerLeadSyncService,
    private readonly rules: RuleRunnerService,
    private readonly calls: LptrackerCallsRecorder,
  ) {
    this.projects = new EnabledProjectsCache(async (workspaceId) => {
      const state = await connections.state(workspaceId);
      if (!state.connection || state.connection.status === 'not_connected') return null;
      return state.projects.map((project) => project.projectId);
    });
  }

  parse(rawBody: Buffer, contentType: string, mode: 'webhook' | 'reconcile'): ParsedDelivery {
    return parseDelivery(rawBody, contentType, this.config.defaultPhoneRegion, mode);
  }

  verify(delivery: InboxDelivery, summary: JsonObject): Promise<InboxVerdict> {
    return this.projects.verify(delivery.workspaceId, projectsOfSummary(summary));
  }

  async process(
    event: InboxEventView,
    context: ProcessingContext,
    mode: 'webhook' | 'reconcile',
  ): Promise<ProcessingOutcome> {
    let parsed: ParsedDelivery;
    try {
      parsed = this.parse(event.rawBody, event.contentType, mode);
    } catch (error) {
      if (error instanceof InboxBadRequest) throw new InboxPermanentError(error.message);
      throw error;
    }
    const owned = parsed.leads.filter(({ key }) => event.owns(key.key));
    const changes = owned.map(({ lead, key }) => describeLead(lead, key));
    for (const [index, { lead, key }] of owned.entries()) {
      if (context.signal.aborted)
        throw new Error('Processing stopped (the lease was lost or the worker stops)');
      context.note(`LPTracker: lead ${lead.id} ${lead.action} (project ${lead.projectId})`, {
        name: lead.name,
        stageId: lead.stageId,
        phones: lead.contact.phones.length,
        emails: lead.contact.emails.length,
        updateFields: lead.updateFields,
      });
      let result, rules, calls;
      try {
        result = await this.sync.apply(event.workspaceId, lead, {
          settingsVersion: event.settingsVersion,
          trace: context,
        });
        rules = await this.rules.runOnLptrackerLead(event, key.key, lead, result, context);
        // Call results: the lead's calls recorded (the sync linked the lead first), `call.finished` rules run.
        calls = await this.calls.record(event, lead, context);
      } catch (error) {
        throw permanentIfRefused(error);
      }
      if (rules.records.length > 0) changes[index] = { ...changes[index], rules: rules.records };
      if (calls.calls) changes[index] = { ...changes[index], calls: calls.calls };
      if (result.outcome === 'skipped' && !rules.acted && !calls.acted)
        context.skip(key.key, result.reason, result.detail);
    }
    return { changes };
  }
}

/** A refusal of the data (retrying cannot help) becomes InboxPermanentError with its reason; others stay (retry). */
export function permanentIfRefused(error: unknown): unknown {
  const reason = refusalReason(error);
  return reason === null ? error : new InboxPermanentError(reason);
}
