import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { NotFoundProblem, ValidationProblem, type FieldError } from '../../http/problem';
import { PageQueryDto } from '../../http/pagination';
import { InboxEventsService } from '../../inbox/inbox-events.service';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { planAmocrmWrite, planLptrackerWrite, type AmoLeadSnapshot } from '../../sync/mappings/mapping-apply';
import { parseMappingDocument } from '../../sync/mappings/mapping-shape';
import type {
  AmocrmWritePlan,
  LptrackerWritePlan,
  MappingDirection,
} from '../../sync/mappings/mapping.types';
import { MappingsService } from '../../sync/mappings/mappings.service';
import { parseDelivery, projectsOfSummary } from '../lptracker-delivery';
import { LPTRACKER_WEBHOOK_SOURCE } from '../lptracker-inbound.constants';

/** How many of the newest LPTracker events are searched for one of the project. */
const RECENT_EVENTS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MappingPreview {
  eventId: string;
  leadId: number;
  plan: AmocrmWritePlan | LptrackerWritePlan;
}

/**
 * The live preview of the mapping editor: an unsaved document applied to a recent real LPTracker callback of the
 * project (pure planning, nothing is written anywhere). For amoCRM → LPTracker the amoCRM side is the lead the
 * current LPTracker → amoCRM mapping makes of that event.
 */
@Injectable()
export class MappingPreviewService {
  constructor(
    private readonly events: InboxEventsService,
    private readonly mappings: MappingsService,
    private readonly config: AppConfig,
  ) {}

  async preview(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    body: unknown,
  ): Promise<MappingPreview> {
    const { document: raw, eventId } = readBody(body);
    await this.mappings.requireEnabled(workspaceId, projectId);
    const parsed = parseMappingDocument(raw);
    if (!parsed.document)
      throw new ValidationProblem(
        parsed.errors.map((error) => ({ ...error, field: `document.${error.field}` })),
      );
    const { id, lead } = await this.recentLead(workspaceId, projectId, eventId);
    const meta = await this.mappings.meta(workspaceId, projectId);
    if (direction === 'lptracker_to_amocrm')
      return { eventId: id, leadId: lead.id, plan: planAmocrmWrite(parsed.document, lead, meta) };
    const forward = await this.mappings.current(workspaceId, projectId, 'lptracker_to_amocrm');
    const amo = forward ? planAmocrmWrite(forward.document, lead, meta) : null;
    const snapshot: AmoLeadSnapshot = {
      name: amo?.lead.name ?? lead.name,
      price: amo?.lead.price ?? null,
      pipelineId: amo?.lead.pipelineId ?? forward?.document.pipelineId ?? null,
      statusId: amo?.lead.statusId ?? forward?.document.statusId ?? null,
      responsibleUserId: amo?.lead.responsibleUserId ?? null,
      tags: amo?.lead.tags ?? [],
      customFields: amo?.lead.customFields ?? [],
      contact: amo ? amo.contact : null,
    };
    return { eventId: id, leadId: lead.id, plan: planLptrackerWrite(parsed.document, snapshot, meta) };
  }

  /** The named event, else the newest LPTracker callback naming the project; its lead of that project. */
  private async recentLead(
    workspaceId: string,
    projectId: number,
    eventId: string | null,
  ): Promise<{ id: string; lead: LptrackerLead }> {
    let id = eventId;
    if (id === null) {
      const page = Object.assign(new PageQueryDto(), { page: 1, limit: RECENT_EVENTS });
      const { items } = await this.events.list(workspaceId, { source: LPTRACKER_WEBHOOK_SOURCE }, page);
      id = items.find((item) => projectsOfSummary(item.summary).includes(projectId))?.id ?? null;
      if (id === null) throw new NotFoundProblem('A recent LPTracker event of this project');
    }
    const { event } = await this.events.get(workspaceId, id);
    if (event.source !== LPTRACKER_WEBHOOK_SOURCE)
      throw new NotFoundProblem('An LPTracker event with this id');
    let leads: LptrackerLead[];
    try {
      leads = parseDelivery(
        event.rawBody,
        event.contentType,
        this.config.defaultPhoneRegion,
        'webhook',
      ).leads.map((entry) => entry.lead);
    } catch {
      throw new NotFoundProblem('A readable LPTracker event with this id');
    }
    const lead = leads.find((candidate) => candidate.projectId === projectId);
    if (!lead) throw new NotFoundProblem('A lead of this project in the event');
    return { id, lead };
  }
}

function readBody(body: unknown): { document: unknown; eventId: string | null } {
  const fail = (error: FieldError) => new ValidationProblem([error]);
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw fail({
      field: 'body',
      code: 'isObject',
      message: 'The body must be an object {document, eventId?}',
    });
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (key !== 'document' && key !== 'eventId')
      throw fail({ field: key, code: 'unknownField', message: `${key} is not an accepted field` });
  if (record.document === undefined)
    throw fail({ field: 'document', code: 'isNotEmpty', message: 'document is required' });
  const eventId = record.eventId ?? null;
  if (eventId !== null && (typeof eventId !== 'string' || !UUID.test(eventId)))
    throw fail({ field: 'eventId', code: 'isUuid', message: 'eventId must be an event id' });
  return { document: record.document, eventId };
}
