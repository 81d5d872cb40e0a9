import { Injectable } from '@nestjs/common';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { FieldError } from '../../http/problem';
import type { ContactEntity } from '../../contacts/contact.entity';
import type { CreateLeadDto } from '../../leads/dto/lead.dto';
import type { LeadEntity } from '../../leads/lead.entity';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { checkIdentity, type ContactIdentity } from '../contacts/contact-identity';
import { ContactSyncService } from '../contacts/contact-sync.service';
import { checkContactCustomFields, prepareContact } from '../contacts/contact-writes';
import type { CustomFieldInput } from '../custom-fields';
import { LeadSyncService } from '../leads/lead-sync.service';
import { leadCreateErrors, prepareLead } from '../leads/lead-writes';
import type { AmocrmWritePlan, MappingDocument } from '../mappings/mapping.types';
import { SyncMetadataService } from '../sync-metadata.service';
import type { SourceValues } from './last-seen';
import { LptrackerIncomingLeadService } from './lptracker-incoming-lead.service';
import { LptrackerLinksService } from './lptracker-links.service';
import { LptrackerSyncRefused, type LptrackerSyncResult, type SyncTrace } from './lptracker-sync.types';

const CONTACT_FIELDS_PATH = 'contact.customFields';

/** What was made in amoCRM and mirrored (an incoming lead without a contact has no mirror rows). */
interface Made {
  amocrmLeadId: number;
  amocrmContactId: number | null;
  lead: LeadEntity | null;
  contact: ContactEntity | null;
}

/** What the create of one LPTracker lead works with. */
export interface LeadToCreate {
  lead: LptrackerLead;
  document: MappingDocument;
  plan: AmocrmWritePlan;
  lastSeen: SourceValues;
}

/**
 * An LPTracker lead without a link: its contact found (by normalised phone, else e-mail: the same locks and lookup
 * as `POST /api/v1/contacts`, phone wins, oldest wins) or created with the lead in one `leads/complex` request
 * (batched with concurrent creates) or, with `createAs: unsorted`, as an incoming lead (LptrackerIncomingLeadService);
 * the amoCRM lead created with the plan's fields, mirror rows and echo records
 * written by the engine, then the link row at once. The caller holds the LPTracker lead's lock.
 */
@Injectable()
export class LptrackerLeadCreateService {
  constructor(
    private readonly contacts: ContactSyncService,
    private readonly leads: LeadSyncService,
    private readonly metadata: SyncMetadataService,
    private readonly links: LptrackerLinksService,
    private readonly incoming: LptrackerIncomingLeadService,
  ) {}

  async create(workspaceId: string, input: LeadToCreate, trace: SyncTrace): Promise<LptrackerSyncResult> {
    const { lead, plan, document } = input;
    const identity = this.identityOf(lead, plan, trace);
    const leadInput = leadInputOf(lead, plan, document);
    let contactFields: CustomFieldInput[] = plan.contact.customFields;
    const errorsOf = (snapshot: AmocrmMetadata): FieldError[] => [
      ...leadCreateErrors(leadInput, snapshot),
      ...checkContactCustomFields(contactFields, snapshot, CONTACT_FIELDS_PATH).errors,
    ];
    const validated = await this.metadata.validated(workspaceId, errorsOf);
    const metadata = validated.metadata;
    let problems = validated.problems;
    if (problems.length > 0) {
      trace.note('mapping: values amoCRM would refuse, left out of this lead', toJson(problems));
      contactFields = dropRefused(leadInput, contactFields, problems);
      problems = errorsOf(metadata);
      if (problems.length > 0)
        throw new LptrackerSyncRefused(
          `amoCRM cannot take this lead: ${problems.map((p) => p.message).join('; ')}`,
        );
    }
    const prepared = prepareLead(leadInput, metadata);
    if (plan.lead.responsibleUserId !== null) prepared.amo.responsible_user_id = plan.lead.responsibleUserId;
    const contactName = plan.contact.name ?? lead.contact.name ?? `Контакт из LPTracker (заявка ${lead.id})`;
    const preparedContact = prepareContact(
      contactName,
      identity,
      checkContactCustomFields(contactFields, metadata, CONTACT_FIELDS_PATH).fields,
      'contact.',
    );
    const unsorted = document.createAs === 'unsorted';
    const made = await this.contacts.withIdentityLocks(workspaceId, identity, async (held): Promise<Made> => {
      const existing =
        identity.phone || identity.email
          ? await trace.step('amoCRM: find the contact', () =>
              this.contacts.findExisting(workspaceId, identity, metadata),
            )
          : null;
      trace.note(
        existing
          ? `contact: found in ${existing.foundIn === 'mirror' ? 'the mirror' : 'amoCRM'}`
          : 'contact: none found, created with the lead',
        existing ? { contactId: existing.contact.id, amocrmId: existing.contact.amocrmId } : null,
      );
      const contact = existing?.contact ?? null;
      if (unsorted) {
        const incoming = await trace.step('amoCRM: create an incoming lead (leads/unsorted/forms)', () =>
          this.incoming.create(workspaceId, lead, prepared, preparedContact, contact, metadata, held),
        );
        return {
          amocrmLeadId: incoming.amocrmLeadId,
          amocrmContactId: incoming.amocrmContactId,
          lead: incoming.lead,
          contact: incoming.contact,
        };
      }
      const created = await trace.step(
        existing ? 'amoCRM: create the lead (leads)' : 'amoCRM: create the contact and lead (leads/complex)',
        () => this.leads.createNew(workspaceId, prepared, preparedContact, contact, metadata, held),
      );
      return {
        amocrmLeadId: created.lead.amocrmId!,
        amocrmContactId: created.contact.amocrmId,
        lead: created.lead,
        contact: created.contact,
      };
    });
    const { amocrmLeadId, amocrmContactId } = made;
    const pipelineId = made.lead?.pipelineId ?? null;
    const statusId = made.lead?.statusId ?? null;
    trace.note('amoCRM: answered', {
      leadId: amocrmLeadId,
      contactId: amocrmContactId,
      pipelineId,
      statusId,
    });
    const { link, created } = await trace.step('link: save', () =>
      this.links.insert({
        workspaceId,
        projectId: lead.projectId,
        lptrackerLeadId: lead.id,
        lptrackerContactId: lead.contact.id,
        amocrmLeadId,
        amocrmContactId,
        leadId: made.lead?.id ?? null,
        contactId: made.contact?.id ?? null,
        lptrackerStageId: lead.stageId,
        amocrmPipelineId: pipelineId,
        amocrmStatusId: statusId,
        createdAs: unsorted ? 'unsorted' : 'lead',
        lastSeen: input.lastSeen,
        lastDirection: 'lptracker_to_amocrm',
        lastSyncedAt: new Date(),
      }),
    );
    if (!created)
      trace.note('link: this LPTracker lead was linked meanwhile', { amocrmLeadId: link.amocrmLeadId });
    return { outcome: 'created', linkId: link.id, amocrmLeadId, amocrmContactId };
  }

  /** The mapped phone and e-mail (else the lead's own), normalised; an invalid phone leaves the e-mail. */
  private identityOf(lead: LptrackerLead, plan: AmocrmWritePlan, trace: SyncTrace): ContactIdentity {
    const phone = plan.contact.phones[0] ?? lead.contact.phones[0];
    const email = plan.contact.emails[0] ?? lead.contact.emails[0];
    const both = checkIdentity({ phone, email }, this.contacts.region);
    if (both.identity) return both.identity;
    const emailOnly = checkIdentity({ email }, this.contacts.region);
    if (emailOnly.identity) return emailOnly.identity;
    trace.note('contact: no valid phone or e-mail to match on: a new contact is made');
    return { phone: null, email: null };
  }
}

/** The amoCRM lead to create, as the engine's create input: plan values, else the lead's name and the mapping's place. */
function leadInputOf(lead: LptrackerLead, plan: AmocrmWritePlan, document: MappingDocument): CreateLeadDto {
  const placed = plan.lead.statusId !== null;
  const pipelineId = placed ? plan.lead.pipelineId : document.pipelineId;
  const statusId = placed ? plan.lead.statusId : document.statusId;
  return {
    name: plan.lead.name ?? lead.name ?? `Заявка из LPTracker ${lead.id}`,
    ...(pipelineId !== null ? { pipelineId } : {}),
    ...(statusId !== null ? { statusId } : {}),
    ...(plan.lead.price !== null ? { price: plan.lead.price } : {}),
    ...(plan.lead.tags.length > 0 ? { tags: plan.lead.tags } : {}),
    ...(plan.lead.customFields.length > 0 ? { customFields: plan.lead.customFields } : {}),
  };
}

/** Leaves out what amoCRM's metadata refuses: the custom fields named, a pipeline/status that is gone. */
function dropRefused(
  input: CreateLeadDto,
  contactFields: CustomFieldInput[],
  problems: readonly FieldError[],
): CustomFieldInput[] {
  const indexes = (prefix: string): Set<number> =>
    new Set(
      problems
        .map((problem) => new RegExp(`^${prefix.replace('.', '\\.')}\\[(\\d+)\\]`).exec(problem.field))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => Number(match[1])),
    );
  const leadBad = indexes('customFields');
  if (input.customFields)
    input.customFields = input.customFields.filter((_field, index) => !leadBad.has(index));
  if (problems.some((problem) => problem.field === 'pipelineId' || problem.field === 'statusId')) {
    delete input.pipelineId;
    delete input.statusId;
  }
  const contactBad = indexes(CONTACT_FIELDS_PATH);
  return contactFields.filter((_field, index) => !contactBad.has(index));
}

function toJson(problems: readonly FieldError[]): { field: string; code: string; message: string }[] {
  return problems.map((problem) => ({
    field: problem.field,
    code: problem.code ?? '',
    message: problem.message,
  }));
}
