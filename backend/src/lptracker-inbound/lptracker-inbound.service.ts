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
import { EnabledProjectsCache } from './project-check';

/** Said in the trace of every LPTracker event until the LPTracker → amoCRM sync exists. */
export const NO_SYNC_DETAIL =
  'No LPTracker → amoCRM sync is configured yet: the lead is recorded here and not written anywhere.';

/**
 * LPTracker's inbound side shared by its two inbox sources (`lptracker` callbacks, `lptracker-reconcile`): parsing
 * with the deployment's phone region, the project check on the hot path, and processing. Processing records what
 * arrived (the parsed leads as the event's changes, one trace line per lead) and skips it as `filtered`, saying that
 * no sync is configured: the sync to amoCRM is not built yet.
 */
@Injectable()
export class LptrackerInboundService {
  readonly projects: EnabledProjectsCache;

  constructor(
    private readonly config: AppConfig,
    connections: LptrackerConnectionsService,
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

  process(
    event: InboxEventView,
    context: ProcessingContext,
    mode: 'webhook' | 'reconcile',
  ): Promise<ProcessingOutcome> {
    return new Promise((resolve) => resolve(this.record(event, context, mode)));
  }

  /** Records the owned leads as the event's changes and trace, and skips them: nothing is synced yet. */
  private record(
    event: InboxEventView,
    context: ProcessingContext,
    mode: 'webhook' | 'reconcile',
  ): ProcessingOutcome {
    let parsed: ParsedDelivery;
    try {
      parsed = this.parse(event.rawBody, event.contentType, mode);
    } catch (error) {
      if (error instanceof InboxBadRequest) throw new InboxPermanentError(error.message);
      throw error;
    }
    const owned = parsed.leads.filter(({ key }) => event.owns(key.key));
    const changes = owned.map(({ lead, key }) => describeLead(lead, key));
    for (const { lead } of owned) {
      context.note(`LPTracker: lead ${lead.id} ${lead.action} (project ${lead.projectId})`, {
        name: lead.name,
        stageId: lead.stageId,
        phones: lead.contact.phones.length,
        emails: lead.contact.emails.length,
        updateFields: lead.updateFields,
      });
    }
    for (const { key } of owned) context.skip(key.key, 'filtered', NO_SYNC_DETAIL);
    return { changes };
  }
}
