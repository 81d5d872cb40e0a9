import { Injectable } from '@nestjs/common';
import type { JsonObject, JsonValue } from '../../../database/columns';
import { ContactsService } from '../../../contacts/contacts.service';
import { ContactSyncService } from '../../contacts/contact-sync.service';
import { LeadSyncService } from '../../leads/lead-sync.service';
import { LptrackerLinksService } from '../../lptracker/lptracker-links.service';
import { contactInputOf, leadInputOf, type RuleSubject } from '../rule-find-or-create';
import { RuleMappedService } from '../rule-mapped.service';
import type { RuleAction } from '../rule.types';
import type { RuleActionResult, RuleActionScope } from './rule-action.types';

type FindOrCreate = Extract<RuleAction, { type: 'find_or_create_contact' | 'find_or_create_lead' }>;

/**
 * `find_or_create_contact` / `find_or_create_lead` through the engine: the records the event already has (the
 * amoCRM change's own, or what the sync linked) are answered as found; otherwise the contact is found by phone,
 * then e-mail, or created (`ContactSyncService.findOrCreate`: the identity locks and lookups of
 * `POST /api/v1/contacts`), and the lead is an open lead of the contact with the same name or a new one
 * (`LeadSyncService.findOrCreate`) with the action's pipeline / stage / responsible / name template over the
 * named mapping's values. The records found fill the scope's target for the actions after it; a new lead for an
 * LPTracker lead is linked to it (the sync then updates it instead of making another). Idempotent on retry: the
 * engine finds what a first try made, and the done-marker's answer gives the ids back (`restoreFound`).
 */
@Injectable()
export class FindOrCreateActions {
  constructor(
    private readonly contacts: ContactSyncService,
    private readonly contactRows: ContactsService,
    private readonly leads: LeadSyncService,
    private readonly mapped: RuleMappedService,
    private readonly links: LptrackerLinksService,
  ) {}

  async run(action: FindOrCreate, scope: RuleActionScope): Promise<RuleActionResult> {
    const { target, trace, workspaceId } = scope;
    if (action.type === 'find_or_create_contact' && target.amocrmContactId !== null)
      return found({ contactId: target.amocrmContactId, by: 'the event' });
    if (action.type === 'find_or_create_lead' && target.amocrmLeadId !== null)
      return found({ leadId: target.amocrmLeadId, contactId: target.amocrmContactId, by: 'the event' });
    const subject: RuleSubject | null = scope.subject ?? null;
    if (subject === null) return { outcome: 'skipped', reason: 'the event carries no contact to find' };
    const at = { settingsVersion: scope.settingsVersion ?? 0 };
    const projectId = action.type === 'find_or_create_lead' ? action.mappingProjectId : null;
    const mapped = await this.mapped.mapped(workspaceId, subject.lptrackerLead, projectId, at);
    if (mapped) trace.note(`rules: mapping of project ${mapped.projectId}, version ${mapped.version}`);
    const contactInput = contactInputOf(subject, mapped);
    if (action.type === 'find_or_create_contact') {
      if (!contactInput.phone && !contactInput.email) return noIdentity();
      const result = await trace.step('rules: amoCRM find or create the contact', () =>
        this.contacts.findOrCreate(workspaceId, contactInput),
      );
      trace.note(`rules: amoCRM contact ${result.created ? 'created' : 'found'}`, {
        amocrmContactId: result.contact.amocrmId,
        name: result.contact.name,
      });
      target.amocrmContactId = result.contact.amocrmId;
      return {
        outcome: 'done',
        answer: {
          system: 'amocrm',
          contactId: result.contact.amocrmId,
          contactMirrorId: result.contact.id,
          created: result.created,
        },
      };
    }
    const leadInput = leadInputOf(action, subject, mapped);
    let contactRef: { contactId: string } | { contact: typeof contactInput };
    if (target.amocrmContactId !== null) {
      const amocrmId = target.amocrmContactId;
      const [mirrored] = await this.contactRows.mirrorRowsOf(workspaceId, [amocrmId]);
      // a contact amoCRM just told us of is mirrored when its event commits, after the rules: read it now
      const row =
        mirrored && mirrored.deletedAt === null
          ? mirrored
          : await trace.step(`rules: amoCRM read the contact ${amocrmId}`, () =>
              this.contacts.mirrorFromAmocrm(workspaceId, amocrmId, null),
            );
      if (!row) return { outcome: 'skipped', reason: `the amoCRM contact ${amocrmId} is gone` };
      contactRef = { contactId: row.id };
    } else {
      if (!contactInput.phone && !contactInput.email) return noIdentity();
      contactRef = { contact: contactInput };
    }
    const result = await trace.step(
      'rules: amoCRM find or create the lead',
      () => this.leads.findOrCreate(workspaceId, { ...leadInput, ...contactRef }),
      {
        name: leadInput.name,
        pipelineId: leadInput.pipelineId ?? null,
        statusId: leadInput.statusId ?? null,
      },
    );
    target.amocrmLeadId = result.lead.amocrmId;
    target.amocrmContactId = result.contact.amocrmId;
    scope.leadMirrorId = result.lead.id;
    const lead = subject.lptrackerLead;
    if (lead && result.lead.amocrmId !== null && target.lptrackerLeadId === lead.id) {
      const linked = await this.links.insert({
        workspaceId,
        projectId: lead.projectId,
        lptrackerLeadId: lead.id,
        lptrackerContactId: lead.contact.id,
        amocrmLeadId: result.lead.amocrmId,
        amocrmContactId: result.contact.amocrmId,
        leadId: result.lead.id,
        contactId: result.contact.id,
        lptrackerStageId: lead.stageId,
        amocrmPipelineId: result.lead.pipelineId,
        amocrmStatusId: result.lead.statusId,
        createdAs: 'lead',
        lastDirection: 'lptracker_to_amocrm',
        lastSyncedAt: new Date(),
      });
      trace.note(
        linked.created ? 'link: saved by the rule' : 'link: the LPTracker lead was linked meanwhile',
        {
          amocrmLeadId: linked.link.amocrmLeadId,
        },
      );
    }
    return {
      outcome: 'done',
      answer: {
        system: 'amocrm',
        leadId: result.lead.amocrmId,
        contactId: result.contact.amocrmId,
        leadMirrorId: result.lead.id,
        created: result.created,
        contactCreated: result.contactCreated,
        pipelineId: result.lead.pipelineId,
        statusId: result.lead.statusId,
        ...(mapped ? { mappingVersion: mapped.version } : {}),
      },
    };
  }
}

const found = (answer: JsonObject): RuleActionResult => ({
  outcome: 'done',
  answer: { system: 'amocrm', ...answer },
});

const noIdentity = (): RuleActionResult => ({
  outcome: 'skipped',
  reason: 'no phone or e-mail to find the contact by',
});

/**
 * A find-or-create already done on an earlier try: the ids its answer recorded fill the target again, so the
 * actions after it address the same records (nothing is found or created twice).
 */
export function restoreFound(scope: RuleActionScope, stored: string | null): void {
  let result: JsonValue = null;
  try {
    result = stored === null ? null : (JSON.parse(stored) as JsonValue);
  } catch {
    return;
  }
  const answer =
    result !== null && typeof result === 'object' && !Array.isArray(result) ? result.answer : undefined;
  if (answer === null || answer === undefined || typeof answer !== 'object' || Array.isArray(answer)) return;
  const id = (key: string): number | null => (typeof answer[key] === 'number' ? answer[key] : null);
  scope.target.amocrmLeadId ??= id('leadId');
  scope.target.amocrmContactId ??= id('contactId');
  if (scope.leadMirrorId === null && typeof answer.leadMirrorId === 'string')
    scope.leadMirrorId = answer.leadMirrorId;
}
