import { Injectable } from '@nestjs/common';
import type { UpdateContactDto } from '../../contacts/dto/contact.dto';
import type { UpdateLeadDto } from '../../leads/dto/lead.dto';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import { LeadsService } from '../../leads/leads.service';
import { explainAmocrmRefusal } from '../amocrm-paths';
import { ContactUpdateService } from '../contacts/contact-update.service';
import { EchoGuardService } from '../echo-guard.service';
import { KeyedLockService } from '../keyed-lock.service';
import { LeadUpdateService } from '../leads/lead-update.service';
import type { AmocrmWritePlan } from '../mappings/mapping.types';
import type { SourceValues } from './last-seen';
import type { LptrackerLinkEntity } from './lptracker-link.entity';
import { LptrackerLinksService } from './lptracker-links.service';
import { LptrackerSyncRefused, type LptrackerSyncResult, type SyncTrace } from './lptracker-sync.types';

/** What an update of one linked LPTracker lead writes. */
export interface LeadToUpdate {
  lead: LptrackerLead;
  link: LptrackerLinkEntity;
  /** The plan restricted to what the update touched (not empty). */
  plan: AmocrmWritePlan;
  lastSeen: SourceValues;
}

/**
 * A linked LPTracker lead changed: the touched mapped fields are written to its amoCRM lead (and contact) through
 * the engine's updates (checked against the metadata, under the entity's write lock, mirrored, recorded for the
 * echo guard); the link remembers the values seen. The caller holds the LPTracker lead's lock.
 */
@Injectable()
export class LptrackerLeadUpdateService {
  constructor(
    private readonly leadUpdates: LeadUpdateService,
    private readonly contactUpdates: ContactUpdateService,
    private readonly links: LptrackerLinksService,
    private readonly client: AmocrmClient,
    private readonly locks: KeyedLockService,
    private readonly echo: EchoGuardService,
    private readonly leadsMirror: LeadsService,
  ) {}

  async update(workspaceId: string, input: LeadToUpdate, trace: SyncTrace): Promise<LptrackerSyncResult> {
    const { link, plan } = input;
    const { lead: leadChange, contact: contactChange } = changesOf(plan);
    if (!link.leadId) throw new LptrackerSyncRefused('The linked amoCRM lead has no mirror row to update');
    const leadId = link.leadId;
    let pipelineId = link.amocrmPipelineId;
    let statusId = link.amocrmStatusId;
    if (Object.keys(leadChange).length > 0) {
      const updated = await trace.step(
        `amoCRM: update lead ${link.amocrmLeadId}`,
        () => this.leadUpdates.update(workspaceId, leadId, leadChange),
        { fields: Object.keys(leadChange) },
      );
      pipelineId = updated.lead.pipelineId;
      statusId = updated.lead.statusId;
      trace.note('amoCRM: lead updated', { pipelineId, statusId });
    }
    const responsible = plan.written.some((written) => written.target === 'lead.responsible')
      ? plan.lead.responsibleUserId
      : null;
    if (responsible !== null)
      await trace.step(`amoCRM: set the responsible user of lead ${link.amocrmLeadId}`, () =>
        this.setResponsible(workspaceId, link, responsible),
      );
    if (Object.keys(contactChange).length > 0) {
      if (!link.contactId)
        throw new LptrackerSyncRefused('The linked amoCRM contact has no mirror row to update');
      const contactId = link.contactId;
      await trace.step(
        `amoCRM: update contact ${link.amocrmContactId ?? ''}`.trim(),
        () => this.contactUpdates.update(workspaceId, contactId, contactChange),
        { fields: Object.keys(contactChange) },
      );
    }
    await this.links.recordSync(workspaceId, link.id, {
      direction: 'lptracker_to_amocrm',
      lastSeen: input.lastSeen,
      lptrackerStageId: input.lead.stageId,
      amocrmPipelineId: pipelineId,
      amocrmStatusId: statusId,
    });
    return { outcome: 'updated', linkId: link.id, amocrmLeadId: link.amocrmLeadId };
  }

  /**
   * The responsible user (the user map), which the engine's lead update does not take: under the lead's write lock
   * (the one LeadUpdateService takes), sent, mirrored, recorded for the echo guard.
   */
  private async setResponsible(
    workspaceId: string,
    link: LptrackerLinkEntity,
    userId: number,
  ): Promise<void> {
    const amocrmId = link.amocrmLeadId;
    await this.locks.withLocks([`write:lead:${workspaceId}:${amocrmId}`], async (held) => {
      held.assertHeld();
      let updatedAt: number | null;
      try {
        [{ updatedAt }] = await this.client
          .forWorkspace(workspaceId, 'interactive')
          .updateLeads([{ id: amocrmId, responsible_user_id: userId }]);
      } catch (error) {
        throw explainAmocrmRefusal(error, { prefix: '', customFields: [] });
      }
      if (link.leadId)
        await this.leadsMirror.updateMirrorRow(workspaceId, link.leadId, {
          responsibleUserId: userId,
          syncedAt: new Date(),
        });
      await this.echo.recordWrite(workspaceId, 'lead', amocrmId, {
        fields: { responsible_user_id: userId },
        updatedAt,
      });
    });
  }
}

/**
 * The engine's update inputs for what the plan wrote (the responsible user is written apart: the engine's update
 * does not take it).
 */
export function changesOf(plan: AmocrmWritePlan): {
  lead: UpdateLeadDto;
  contact: UpdateContactDto;
} {
  const targets = new Set(plan.written.map((written) => written.target));
  const has = (prefix: string) => [...targets].some((target) => target.startsWith(prefix));
  const lead: UpdateLeadDto = {};
  const contact: UpdateContactDto = {};
  if (targets.has('lead.name') && plan.lead.name !== null) lead.name = plan.lead.name;
  if (targets.has('lead.price') && plan.lead.price !== null) lead.price = plan.lead.price;
  if (targets.has('lead.tags') && plan.lead.tags.length > 0) lead.addTags = plan.lead.tags;
  if (targets.has('lead.status') && plan.lead.statusId !== null) {
    lead.statusId = plan.lead.statusId;
    if (plan.lead.pipelineId !== null) lead.pipelineId = plan.lead.pipelineId;
  }
  if (has('lead.custom.') && plan.lead.customFields.length > 0) lead.customFields = plan.lead.customFields;
  if (targets.has('contact.name') && plan.contact.name !== null) contact.name = plan.contact.name;
  if (targets.has('contact.phone') && plan.contact.phones.length > 0) contact.phone = plan.contact.phones[0];
  if (targets.has('contact.email') && plan.contact.emails.length > 0) contact.email = plan.contact.emails[0];
  if (has('contact.custom.') && plan.contact.customFields.length > 0)
    contact.customFields = plan.contact.customFields;
  return { lead, contact };
}
