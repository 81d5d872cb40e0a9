import { Injectable } from '@nestjs/common';
import type { AmoComplexLeadInput, AmoLeadInput } from '../../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { ContactEntity } from '../../contacts/contact.entity';
import { ContactsService } from '../../contacts/contacts.service';
import { ContactDto } from '../../contacts/dto/contact.dto';
import { NotFoundProblem, ProblemException, ValidationProblem } from '../../http/problem';
import type { CreateLeadDto } from '../../leads/dto/lead.dto';
import type { LeadEntity } from '../../leads/lead.entity';
import { isOpenStatus } from '../../leads/lead-status';
import { LeadsService } from '../../leads/leads.service';
import { explainAmocrmRefusal } from '../amocrm-paths';
import { AmocrmWriteBatcher } from '../amocrm-write-batcher.service';
import { EchoGuardService } from '../echo-guard.service';
import { KeyedLockService, type HeldLocks } from '../keyed-lock.service';
import { EngineWritesService, mirrorSourceOf, type WriteOptions } from '../engine-writes';
import { SOURCE_API } from '../mirror-sources';
import { SyncMetadataService } from '../sync-metadata.service';
import { withProblemContext } from '../sync.problems';
import { checkIdentity } from '../contacts/contact-identity';
import { ContactSyncService, type ExistingContact } from '../contacts/contact-sync.service';
import { checkContactCustomFields, prepareContact, type PreparedContact } from '../contacts/contact-writes';
import { leadNameKey, placementNames, type PlacementNames } from './lead-rules';
import { AmocrmLeadReuse } from './lead-reuse';
import { echoFieldsOfLead, leadCreateErrors, prepareLead, type PreparedLead } from './lead-writes';

/**
 * An open lead found in the mirror is reused without asking amoCRM only when its row matched amoCRM this
 * recently (the burst of repeated calls right after a create). Older rows, and a mirror without a match, are
 * checked against the contact's leads in amoCRM: a manager may have closed or created one meanwhile and the
 * mirror only learns it from webhooks.
 */
export const MIRROR_TRUSTED_FOR_MS = 15_000;

export interface FoundOrCreatedLead {
  lead: LeadEntity;
  created: boolean;
  contact: ContactEntity;
  contactCreated: boolean;
  /** The lead's pipeline and status names, from the metadata the request read. */
  names: PlacementNames;
}

/**
 * The engine's leads: find-or-create of a lead for a contact (found or created as in ContactSyncService),
 * serialised per (workspace, contact, lead name) across processes; updates pushed to amoCRM first, then
 * mirrored (src/leads holds the mirror rows). The account metadata is read once per request and passed down.
 *
 * Reuse rule: an open lead (status not 142/143, not deleted) of the contact with the same name (trimmed, ignoring
 * case) is answered as it is (its pipeline, status and fields are not changed). The mirror is asked first and
 * trusted when its row is fresh; otherwise the contact's leads are read from amoCRM (`with=leads`, then one
 * `filter[id]` read). Closed leads with the name, or leads with another name, never count: a new lead is made.
 *
 * Creating: a new contact and its new lead go in one `leads/complex` call (nothing is half-made in amoCRM); a
 * lead for an existing contact is created linked to it (`_embedded.contacts`). Both coalesced with concurrent
 * calls into requests of up to 50 entities.
 */
@Injectable()
export class LeadSyncService {
  private readonly reuse: AmocrmLeadReuse;

  constructor(
    private readonly leads: LeadsService,
    private readonly contactsMirror: ContactsService,
    private readonly contacts: ContactSyncService,
    client: AmocrmClient,
    private readonly batcher: AmocrmWriteBatcher,
    private readonly locks: KeyedLockService,
    private readonly echo: EchoGuardService,
    private readonly metadata: SyncMetadataService,
    private readonly writes: EngineWritesService,
  ) {
    this.reuse = new AmocrmLeadReuse(leads, contacts, client);
  }

  /** Pipeline and status names from the cached metadata (no amoCRM call), for responses. */
  async namer(workspaceId: string): Promise<(lead: LeadEntity) => PlacementNames> {
    const metadata = await this.metadata.cached(workspaceId);
    return (lead) => placementNames(metadata, lead.pipelineId, lead.statusId);
  }

  // ---- find-or-create ----

  /**
   * The records created are mirrored with the write's origin as source and told (`lead.created`, and
   * `contact.created` when the contact was made with it); a lead found is told nothing.
   */
  async findOrCreate(
    workspaceId: string,
    input: CreateLeadDto,
    options: WriteOptions = {},
  ): Promise<FoundOrCreatedLead> {
    const result = await this.findOrCreateAs(
      workspaceId,
      input,
      mirrorSourceOf(options),
      options.trustMirror,
    );
    if (result.created) {
      const { id, amocrmId } = result.lead;
      const contact = result.contactCreated ? (['contact.created'] as const) : [];
      await this.writes.created(workspaceId, options, { entity: 'lead', id, amocrmId }, [
        'lead.created',
        ...contact,
      ]);
    }
    return result;
  }

  private async findOrCreateAs(
    workspaceId: string,
    input: CreateLeadDto,
    source: string,
    trustMirror = false,
  ): Promise<FoundOrCreatedLead> {
    if (input.contactId !== undefined && input.contact !== undefined) {
      throw new ValidationProblem([
        { field: 'contactId', code: 'exclusive', message: 'give contactId or contact, not both' },
      ]);
    }
    if (input.contact !== undefined)
      return this.findOrCreateWithContact(workspaceId, input, input.contact, source, trustMirror);
    if (input.contactId === undefined) {
      const message =
        'give contactId (a contact of your workspace) or contact (found or created by phone or e-mail)';
      throw new ValidationProblem([
        { field: 'contactId', code: 'required', message },
        { field: 'contact', code: 'required', message },
      ]);
    }
    const contact = await this.contactsMirror.get(workspaceId, input.contactId.toLowerCase());
    if (contact.deletedAt !== null || contact.amocrmId === null)
      throw new NotFoundProblem('The contact (deleted in amoCRM)');
    const { metadata, problems } = await this.metadata.validated(workspaceId, (snapshot) =>
      leadCreateErrors(input, snapshot),
    );
    if (problems.length > 0) throw new ValidationProblem(problems);
    const prepared = prepareLead(input, metadata);
    const result = await this.locks.withLocks([leadLockKey(workspaceId, contact.id, prepared.name)], (held) =>
      this.reuseOrCreate(workspaceId, contact, prepared, metadata, held, undefined, source),
    );
    return { ...result, contact, contactCreated: false, names: namesOf(metadata, result.lead) };
  }

  /** A lead for a contact given by phone or e-mail: the contact found (or created with the lead) under its locks. */
  private async findOrCreateWithContact(
    workspaceId: string,
    input: CreateLeadDto,
    contactInput: NonNullable<CreateLeadDto['contact']>,
    source: string,
    trustMirror: boolean,
  ): Promise<FoundOrCreatedLead> {
    const {
      lead: prepared,
      contact: preparedContact,
      metadata,
    } = await this.prepareWithContact(workspaceId, input, contactInput);
    const identity = preparedContact.identity;
    return this.contacts.withIdentityLocks(workspaceId, identity, async (held) => {
      const existing = await this.contacts.findExisting(workspaceId, identity, metadata, {
        withLeads: true,
        trustMirror,
      });
      if (existing) return this.leadForExisting(workspaceId, existing, prepared, metadata, source);
      held.assertHeld();
      return this.createWithContact(workspaceId, prepared, preparedContact, metadata, held, source);
    });
  }

  /**
   * The lead and its contact checked together against one metadata read, so one 400 lists every field error
   * (the lead's first, then the contact's).
   */
  private async prepareWithContact(
    workspaceId: string,
    input: CreateLeadDto,
    contactInput: NonNullable<CreateLeadDto['contact']>,
  ): Promise<{ lead: PreparedLead; contact: PreparedContact; metadata: AmocrmMetadata }> {
    const { identity, errors: identityErrors } = checkIdentity(
      contactInput,
      this.contacts.region,
      'contact.',
    );
    const contactFields = (snapshot: AmocrmMetadata) =>
      identity
        ? checkContactCustomFields(contactInput.customFields, snapshot, 'contact.customFields')
        : undefined;
    const { metadata, problems } = await this.metadata.validated(workspaceId, (snapshot) => [
      ...leadCreateErrors(input, snapshot),
      ...(contactFields(snapshot)?.errors ?? []),
    ]);
    const errors = [...problems, ...identityErrors];
    if (errors.length > 0 || !identity) throw new ValidationProblem(errors);
    const customFields = contactFields(metadata)?.fields ?? [];
    return {
      lead: prepareLead(input, metadata),
      contact: prepareContact(contactInput.name, identity, customFields, 'contact.'),
      metadata,
    };
  }

  /** The contact exists: reuse or create its lead under the lead's lock. */
  private async leadForExisting(
    workspaceId: string,
    existing: ExistingContact,
    prepared: PreparedLead,
    metadata: AmocrmMetadata,
    source: string,
  ): Promise<FoundOrCreatedLead> {
    const contact = existing.contact;
    try {
      const result = await this.locks.withLocks(
        [leadLockKey(workspaceId, contact.id, prepared.name)],
        (leadHeld) =>
          this.reuseOrCreate(workspaceId, contact, prepared, metadata, leadHeld, existing.amoLeadIds, source),
      );
      return { ...result, contact, contactCreated: false, names: namesOf(metadata, result.lead) };
    } catch (error) {
      // The contact exists in amoCRM and its mirror row was saved by this call: say so next to the failure.
      if (existing.foundIn === 'amocrm' && error instanceof ProblemException) {
        throw withProblemContext(
          error,
          `The contact was found in amoCRM and saved (id ${contact.id}), but the lead was not: `,
          { failed: 'lead', contact: ContactDto.from(contact) },
        );
      }
      throw error;
    }
  }

  /**
   * A new lead, never a reused one (a lead from another system is a deal of its own), for the caller holding the
   * identity's locks: linked to `existing` (the contact found under those locks), else created together with
   * `preparedContact` in one `leads/complex` entity. Mirrored and recorded for the echo guard as find-or-create's.
   */
  async createNew(
    workspaceId: string,
    prepared: PreparedLead,
    preparedContact: PreparedContact,
    existing: ContactEntity | null,
    metadata: AmocrmMetadata,
    held: HeldLocks,
  ): Promise<FoundOrCreatedLead> {
    if (!existing || existing.amocrmId === null)
      return this.createWithContact(workspaceId, prepared, preparedContact, metadata, held, SOURCE_API);
    held.assertHeld();
    const input: AmoLeadInput = {
      ...prepared.amo,
      _embedded: { ...prepared.amo._embedded, contacts: [{ id: existing.amocrmId, is_main: true }] },
    };
    let result;
    try {
      result = await this.batcher.createLead(workspaceId, input, held);
    } catch (error) {
      throw explainAmocrmRefusal(error, prepared.shape);
    }
    const lead = await this.saveCreated(workspaceId, result.id, existing.id, prepared, metadata);
    return { lead, created: true, contact: existing, contactCreated: false, names: namesOf(metadata, lead) };
  }

  /** Both new: the lead and its contact in one `leads/complex` entity. */
  private async createWithContact(
    workspaceId: string,
    prepared: PreparedLead,
    preparedContact: PreparedContact,
    metadata: AmocrmMetadata,
    held: HeldLocks,
    source: string,
  ): Promise<FoundOrCreatedLead> {
    const input: AmoComplexLeadInput = {
      ...prepared.amo,
      _embedded: { ...prepared.amo._embedded, contacts: [preparedContact.amo] },
    };
    let result;
    try {
      result = await this.batcher.createLeadWithContact(workspaceId, input, held);
    } catch (error) {
      throw explainAmocrmRefusal(error, { ...prepared.shape, embeddedContact: preparedContact.shape });
    }
    if (result.contactId === null) throw new Error('amoCRM created the lead without its contact');
    let contact: ContactEntity | null = null;
    if (result.merged) {
      // amoCRM's duplicate control merged our contact into one it had: mirror that one as it is.
      contact = await this.contacts
        .mirrorFromAmocrm(workspaceId, result.contactId, metadata)
        .catch(() => null);
    }
    contact ??= await this.contacts.saveCreated(
      workspaceId,
      result.contactId,
      preparedContact,
      metadata,
      source,
    );
    const lead = await this.saveCreated(workspaceId, result.leadId, contact.id, prepared, metadata, source);
    return {
      lead,
      created: true,
      contact,
      contactCreated: !result.merged,
      names: namesOf(metadata, lead),
    };
  }

  /** Under the lead's lock: reuse the contact's open lead with this name, else create one linked to it. */
  private async reuseOrCreate(
    workspaceId: string,
    contact: ContactEntity,
    prepared: PreparedLead,
    metadata: AmocrmMetadata,
    held: HeldLocks,
    knownAmoLeadIds: number[] | undefined,
    source: string,
  ): Promise<{ lead: LeadEntity; created: boolean }> {
    const local = await this.leads.findOpenByContactAndName(workspaceId, contact.id, prepared.name);
    if (local && local.syncedAt && Date.now() - local.syncedAt.getTime() < MIRROR_TRUSTED_FOR_MS)
      return { lead: local, created: false };
    const reusable = await this.reuse.reusable(
      workspaceId,
      contact,
      prepared,
      metadata,
      local,
      knownAmoLeadIds,
    );
    if (reusable) return { lead: reusable, created: false };
    held.assertHeld();
    const input: AmoLeadInput = {
      ...prepared.amo,
      _embedded: { ...prepared.amo._embedded, contacts: [{ id: contact.amocrmId!, is_main: true }] },
    };
    let result;
    try {
      result = await this.batcher.createLead(workspaceId, input, held);
    } catch (error) {
      throw explainAmocrmRefusal(error, prepared.shape);
    }
    const lead = await this.saveCreated(workspaceId, result.id, contact.id, prepared, metadata, source);
    return { lead, created: true };
  }

  /** Mirrors a lead created in amoCRM by the engine and records the write for the echo guard. */
  async saveCreated(
    workspaceId: string,
    amocrmId: number,
    contactId: string,
    prepared: PreparedLead,
    metadata: AmocrmMetadata,
    source: string = SOURCE_API,
  ): Promise<LeadEntity> {
    const { placement } = prepared;
    const now = new Date();
    const lead = await this.leads.upsertMirrorRow(workspaceId, {
      amocrmId,
      name: prepared.name,
      statusId: placement.status.id,
      status: placement.status.name,
      pipelineId: placement.pipeline.id,
      price: prepared.price ?? 0,
      contactId,
      responsibleUserId: prepared.amo.responsible_user_id ?? metadata.account.currentUserId ?? null,
      customFields: prepared.customFields.map((field) => field.local),
      tags: prepared.tags ?? [],
      source,
      syncedAt: now,
      closedAt: isOpenStatus(placement.status.id) ? null : now,
    });
    await this.echo.recordWrite(workspaceId, 'lead', amocrmId, {
      fields: echoFieldsOfLead({
        name: prepared.name,
        statusId: placement.status.id,
        pipelineId: placement.pipeline.id,
        price: prepared.price,
        tags: prepared.tags,
        customFields: prepared.customFields,
      }),
    });
    return lead;
  }
}

export function leadLockKey(workspaceId: string, contactId: string, name: string): string {
  return `foc:lead:${workspaceId}:${contactId}:${leadNameKey(name)}`;
}

function namesOf(metadata: AmocrmMetadata | null, lead: LeadEntity): PlacementNames {
  return placementNames(metadata, lead.pipelineId, lead.statusId);
}
