import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  AmoComplexLeadInput,
  AmoLead,
  AmoLeadInput,
  AmoLeadUpdate,
  AmoTagInput,
} from '../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../amocrm/client/amocrm-client';
import type { AmocrmMetadata } from '../amocrm/metadata/amocrm-metadata.types';
import type { ContactEntity } from '../contacts/contact.entity';
import {
  ContactsService,
  echoOfCustomFields,
  SOURCE_AMOCRM,
  SOURCE_API,
  type PreparedContact,
} from '../contacts/contacts.service';
import { ContactDto } from '../contacts/dto/contact.dto';
import { NotFoundProblem, ProblemException, ValidationProblem, type FieldError } from '../http/problem';
import { pageOf, type Page } from '../http/pagination';
import { explainAmocrmRefusal, type AmoWriteShape } from '../sync/amocrm-paths';
import { AmocrmWriteBatcher } from '../sync/amocrm-write-batcher.service';
import { applyCustomFieldValues, prepareCustomFields, type PreparedCustomField } from '../sync/custom-fields';
import type { EchoValue } from '../sync/echo-fingerprint';
import { EchoGuardService } from '../sync/echo-guard.service';
import { KeyedLockService, type HeldLocks } from '../sync/keyed-lock.service';
import { SyncMetadataService } from '../sync/sync-metadata.service';
import { withProblemContext } from '../sync/sync.problems';
import type { CreateLeadDto, LeadQueryDto, UpdateLeadDto } from './dto/lead.dto';
import type { LeadEntity } from './lead.entity';
import { leadDataFromAmo } from './lead-mapping';
import {
  isOpenStatus,
  leadNameKey,
  pickReusableLead,
  placementNames,
  resolvePlacement,
  type Placement,
} from './lead-rules';
import { LeadsRepository, type LeadData } from './leads.repository';

/**
 * An open lead found in the mirror is reused without asking amoCRM only when its row matched amoCRM this
 * recently (the burst of repeated calls right after a create). Older rows, and a mirror without a match, are
 * checked against the contact's leads in amoCRM: a manager may have closed or created one meanwhile and the
 * mirror only learns it from webhooks.
 */
export const MIRROR_TRUSTED_FOR_MS = 15_000;
/** Leads read per `filter[id]` request. */
const LEADS_PER_READ = 250;

/** A lead to create, checked against the metadata and converted for amoCRM. */
interface PreparedLead {
  name: string;
  placement: Placement;
  price?: number;
  tags?: string[];
  customFields: PreparedCustomField[];
  /** Without contacts and request_id. */
  amo: AmoLeadInput;
  shape: AmoWriteShape;
}

export interface FoundOrCreatedLead {
  lead: LeadEntity;
  created: boolean;
  contact: ContactEntity;
  contactCreated: boolean;
}

/**
 * Leads for client apps: reads from the mirror; find-or-create of a lead for a contact (found or created as in
 * ContactsService), serialised per (workspace, contact, lead name) across processes; updates pushed to amoCRM
 * first.
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
export class LeadsService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly contacts: ContactsService,
    private readonly client: AmocrmClient,
    private readonly batcher: AmocrmWriteBatcher,
    private readonly locks: KeyedLockService,
    private readonly echo: EchoGuardService,
    private readonly metadata: SyncMetadataService,
  ) {}

  // ---- reads (the mirror only) ----

  async list(workspaceId: string, query: LeadQueryDto): Promise<Page<LeadEntity>> {
    const [items, total] = await this.leads.search(workspaceId, {
      search: query.search?.trim() || undefined,
      statusId: query.statusId,
      pipelineId: query.pipelineId,
      contactId: query.contactId?.toLowerCase(),
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return pageOf(items, total, query);
  }

  async get(workspaceId: string, id: string): Promise<LeadEntity> {
    const lead = await this.leads.findById(workspaceId, id);
    if (!lead) throw new NotFoundProblem('The lead');
    return lead;
  }

  /** Pipeline and status names from the cached metadata (no amoCRM call), for responses. */
  async namer(
    workspaceId: string,
  ): Promise<(lead: LeadEntity) => { pipeline: string | null; status: string | null }> {
    const metadata = await this.metadata.cached(workspaceId);
    return (lead) => placementNames(metadata, lead.pipelineId, lead.statusId);
  }

  // ---- find-or-create ----

  async findOrCreate(workspaceId: string, input: CreateLeadDto): Promise<FoundOrCreatedLead> {
    if (input.contactId !== undefined && input.contact !== undefined) {
      throw new ValidationProblem([
        { field: 'contactId', code: 'exclusive', message: 'give contactId or contact, not both' },
      ]);
    }
    if (input.contactId === undefined && input.contact === undefined) {
      const message =
        'give contactId (a contact of your workspace) or contact (found or created by phone or e-mail)';
      throw new ValidationProblem([
        { field: 'contactId', code: 'required', message },
        { field: 'contact', code: 'required', message },
      ]);
    }
    if (input.contactId !== undefined) {
      const contact = await this.contacts.get(workspaceId, input.contactId.toLowerCase());
      if (contact.deletedAt !== null || contact.amocrmId === null)
        throw new NotFoundProblem('The contact (deleted in amoCRM)');
      const prepared = await this.prepareCreate(workspaceId, input);
      const result = await this.locks.withLocks(
        [leadLockKey(workspaceId, contact.id, prepared.name)],
        (held) => this.reuseOrCreate(workspaceId, contact, prepared, held, undefined),
      );
      return { ...result, contact, contactCreated: false };
    }
    const { lead: prepared, contact: preparedContact } = await this.prepareWithContact(
      workspaceId,
      input,
      input.contact!,
    );
    return this.contacts.withIdentityLocks(workspaceId, preparedContact.identity, async (held) => {
      const existing = await this.contacts.findExisting(workspaceId, preparedContact.identity, {
        withLeads: true,
      });
      if (existing) {
        try {
          const result = await this.locks.withLocks(
            [leadLockKey(workspaceId, existing.contact.id, prepared.name)],
            (leadHeld) =>
              this.reuseOrCreate(workspaceId, existing.contact, prepared, leadHeld, existing.amoLeadIds),
          );
          return { ...result, contact: existing.contact, contactCreated: false };
        } catch (error) {
          // The contact exists in amoCRM and its mirror row was saved by this call: say so next to the failure.
          if (existing.foundIn === 'amocrm' && error instanceof ProblemException) {
            throw withProblemContext(
              error,
              `The contact was found in amoCRM and saved (id ${existing.contact.id}), but the lead was not: `,
              {
                failed: 'lead',
                contact: ContactDto.from(existing.contact),
              },
            );
          }
          throw error;
        }
      }
      held.assertHeld();
      return this.createWithContact(workspaceId, prepared, preparedContact, held);
    });
  }

  /** Both new: the lead and its contact in one `leads/complex` entity. */
  private async createWithContact(
    workspaceId: string,
    prepared: PreparedLead,
    preparedContact: PreparedContact,
    held: HeldLocks,
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
      contact = await this.contacts.mirrorFromAmocrm(workspaceId, result.contactId).catch(() => null);
    }
    contact ??= await this.contacts.saveCreated(workspaceId, result.contactId, preparedContact);
    const lead = await this.saveCreated(workspaceId, result.leadId, contact.id, prepared);
    return { lead, created: true, contact, contactCreated: !result.merged };
  }

  /** Under the lead's lock: reuse the contact's open lead with this name, else create one linked to it. */
  private async reuseOrCreate(
    workspaceId: string,
    contact: ContactEntity,
    prepared: PreparedLead,
    held: HeldLocks,
    knownAmoLeadIds: number[] | undefined,
  ): Promise<{ lead: LeadEntity; created: boolean }> {
    const local = await this.leads.findOpenByContactAndName(workspaceId, contact.id, prepared.name);
    if (local && local.syncedAt && Date.now() - local.syncedAt.getTime() < MIRROR_TRUSTED_FOR_MS)
      return { lead: local, created: false };
    const ids = knownAmoLeadIds ?? (await this.contacts.amocrmLeadIdsOf(workspaceId, contact));
    if (ids === null) throw new NotFoundProblem('The contact (deleted in amoCRM)');
    const amoLeads = await this.readLeads(workspaceId, ids);
    const reusable = pickReusableLead(amoLeads, prepared.name);
    const metadata = await this.metadata.cached(workspaceId);
    const now = new Date();
    for (const lead of amoLeads) {
      // Refresh the rows this decision rests on: the reused lead and a stale mirror candidate.
      if (lead.id === reusable?.id || lead.id === local?.amocrmId) {
        await this.leads.upsertByAmocrmId(
          workspaceId,
          leadDataFromAmo(lead, contact.id, metadata, SOURCE_AMOCRM, now),
        );
      }
    }
    if (local?.amocrmId != null && !amoLeads.some((lead) => lead.id === local.amocrmId)) {
      // amoCRM no longer lists it for this contact (deleted or unlinked): not reusable.
      await this.leads.update(workspaceId, local.id, { syncedAt: now });
    }
    if (reusable)
      return { lead: (await this.leads.findByAmocrmId(workspaceId, reusable.id))!, created: false };
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
    return { lead: await this.saveCreated(workspaceId, result.id, contact.id, prepared), created: true };
  }

  private async readLeads(workspaceId: string, ids: readonly number[]): Promise<AmoLead[]> {
    const api = this.client.forWorkspace(workspaceId, 'interactive');
    const leads: AmoLead[] = [];
    for (let start = 0; start < ids.length; start += LEADS_PER_READ) {
      const part = ids.slice(start, start + LEADS_PER_READ);
      for await (const page of api.listLeads({ filter: { id: [...part] }, limit: LEADS_PER_READ }))
        leads.push(...page);
    }
    return leads;
  }

  private async saveCreated(
    workspaceId: string,
    amocrmId: number,
    contactId: string,
    prepared: PreparedLead,
  ): Promise<LeadEntity> {
    const metadata = await this.metadata.cached(workspaceId);
    const { placement } = prepared;
    const now = new Date();
    const lead = await this.leads.upsertByAmocrmId(workspaceId, {
      amocrmId,
      name: prepared.name,
      statusId: placement.status.id,
      status: placement.status.name,
      pipelineId: placement.pipeline.id,
      price: prepared.price ?? 0,
      contactId,
      responsibleUserId: metadata?.account.currentUserId ?? null,
      customFields: prepared.customFields.map((field) => field.local),
      tags: prepared.tags ?? [],
      source: SOURCE_API,
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

  // ---- checks ----

  private async prepareCreate(workspaceId: string, input: CreateLeadDto): Promise<PreparedLead> {
    const { prepared, errors } = await this.checkLead(workspaceId, input);
    if (errors.length > 0 || !prepared) throw new ValidationProblem(errors);
    return prepared;
  }

  /** The lead and its contact checked together, so one 400 lists every field error. */
  private async prepareWithContact(
    workspaceId: string,
    input: CreateLeadDto,
    contactInput: NonNullable<CreateLeadDto['contact']>,
  ): Promise<{ lead: PreparedLead; contact: PreparedContact }> {
    const { prepared, errors } = await this.checkLead(workspaceId, input);
    let contact: PreparedContact | undefined;
    try {
      contact = await this.contacts.prepareCreate(workspaceId, contactInput, 'contact.');
    } catch (error) {
      if (!(error instanceof ValidationProblem)) throw error;
      errors.push(...(error.problem.errors ?? []));
    }
    if (errors.length > 0 || !prepared || !contact) throw new ValidationProblem(errors);
    return { lead: prepared, contact };
  }

  private async checkLead(
    workspaceId: string,
    input: CreateLeadDto,
  ): Promise<{ prepared?: PreparedLead; errors: FieldError[] }> {
    const check = (metadata: AmocrmMetadata) => ({
      placement: resolvePlacement(metadata, { pipelineId: input.pipelineId, statusId: input.statusId }),
      customFields: prepareCustomFields(input.customFields, metadata.leadFields, 'customFields'),
    });
    const { metadata, problems } = await this.metadata.validated(workspaceId, (snapshot) => {
      const result = check(snapshot);
      return [...result.placement.errors, ...result.customFields.errors];
    });
    if (problems.length > 0) return { errors: problems };
    const { placement, customFields } = check(metadata);
    const tags = input.tags ? uniqueTags(input.tags) : undefined;
    const values = customFields.fields.map((field) => field.amo);
    const amo: AmoLeadInput = {
      name: input.name,
      pipeline_id: placement.placement!.pipeline.id,
      status_id: placement.placement!.status.id,
      ...(input.price !== undefined ? { price: input.price } : {}),
      ...(values.length > 0 ? { custom_fields_values: values } : {}),
      ...(tags && tags.length > 0
        ? { _embedded: { tags: tags.map((name): AmoTagInput => ({ name })) } }
        : {}),
    };
    return {
      errors: [],
      prepared: {
        name: input.name,
        placement: placement.placement!,
        price: input.price,
        tags,
        customFields: customFields.fields,
        amo,
        shape: { prefix: '', customFields: customFields.fields.map((field) => field.source) },
      },
    };
  }

  // ---- mirror sync from amoCRM (webhooks, reconciliation: writes run in the caller's transaction) ----

  /** Mirror rows of these amoCRM leads, deleted ones included (reads only the mirror). */
  mirrorRowsOf(workspaceId: string, amocrmIds: readonly number[]): Promise<LeadEntity[]> {
    return this.leads.findByAmocrmIds(workspaceId, amocrmIds);
  }

  /** Locks the mirror row of an amoCRM lead in `manager`'s transaction; only for rows known to exist. */
  lockMirrorRow(manager: EntityManager, workspaceId: string, amocrmId: number): Promise<LeadEntity | null> {
    return this.leads.lockByAmocrmId(manager, workspaceId, amocrmId);
  }

  /** Inserts the mirror row of an amoCRM lead unless there is one: the row inserted, or null. */
  insertMirrorRowIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: LeadData & { amocrmId: number },
  ): Promise<LeadEntity | null> {
    return this.leads.insertIfAbsent(manager, workspaceId, data);
  }

  /** Inserts the mirror rows of amoCRM leads in one statement: the rows, and how many were new. */
  insertMirrorRowsIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: readonly (LeadData & { amocrmId: number })[],
  ): Promise<{ rows: LeadEntity[]; inserted: number }> {
    return this.leads.insertAllIfAbsent(manager, workspaceId, data);
  }

  /** Inserts or updates the mirror row of an amoCRM lead (live again if it was deleted; `source` kept). */
  saveMirrorRow(
    manager: EntityManager,
    workspaceId: string,
    data: LeadData & { amocrmId: number },
  ): Promise<LeadEntity> {
    return this.leads.upsertByAmocrmId(workspaceId, data, manager);
  }

  markMirrorRowDeleted(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
    at: Date,
  ): Promise<boolean> {
    return this.leads.markDeleted(workspaceId, amocrmId, at, manager);
  }

  /** Links leads (mirror rows known to exist) to a contact where they have no contact yet. */
  linkMirrorRowsToContact(
    manager: EntityManager,
    workspaceId: string,
    leadIds: readonly string[],
    contactId: string,
  ): Promise<number> {
    return this.leads.linkContactWhereNone(manager, workspaceId, leadIds, contactId);
  }

  // ---- update ----

  /**
   * Pushes the change to amoCRM, then to the mirror. `tags` replaces the set; `addTags` reads the lead's current
   * tags from amoCRM and writes them with the additions (read-merge-write).
   */
  async update(workspaceId: string, id: string, input: UpdateLeadDto): Promise<LeadEntity> {
    const lead = await this.get(workspaceId, id);
    if (lead.deletedAt !== null || lead.amocrmId === null)
      throw new NotFoundProblem('The lead (deleted in amoCRM)');
    const amocrmId = lead.amocrmId;
    if (input.tags !== undefined && input.addTags !== undefined) {
      throw new ValidationProblem([
        { field: 'addTags', code: 'exclusive', message: 'give tags (replace) or addTags (add), not both' },
      ]);
    }
    const moving = input.pipelineId !== undefined || input.statusId !== undefined;
    const { metadata, problems } = await this.metadata.validated(workspaceId, (snapshot) => [
      ...(moving
        ? resolvePlacement(
            snapshot,
            { pipelineId: input.pipelineId, statusId: input.statusId },
            { pipelineId: lead.pipelineId },
          ).errors
        : []),
      ...prepareCustomFields(input.customFields, snapshot.leadFields, 'customFields').errors,
    ]);
    if (problems.length > 0) throw new ValidationProblem(problems);
    const placement = moving
      ? resolvePlacement(
          metadata,
          { pipelineId: input.pipelineId, statusId: input.statusId },
          { pipelineId: lead.pipelineId },
        ).placement
      : undefined;
    const customFields = prepareCustomFields(input.customFields, metadata.leadFields, 'customFields').fields;

    return this.locks.withLocks([`write:lead:${workspaceId}:${amocrmId}`], async (held) => {
      const api = this.client.forWorkspace(workspaceId, 'interactive');
      let tags: string[] | undefined = input.tags ? uniqueTags(input.tags) : undefined;
      let current: AmoLead | null = null;
      if (input.addTags !== undefined) {
        current = await api.getLead(amocrmId);
        if (!current || current.is_deleted === true) {
          await this.leads.markDeleted(workspaceId, amocrmId, new Date());
          throw new NotFoundProblem('The lead (deleted in amoCRM)');
        }
        const have = (current._embedded?.tags ?? []).map((tag) => tag.name);
        const merged = uniqueTags([...have, ...input.addTags]);
        tags = merged.length > have.length ? merged : undefined;
      }
      const update: AmoLeadUpdate = {
        id: amocrmId,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(placement ? { pipeline_id: placement.pipeline.id, status_id: placement.status.id } : {}),
        ...(input.price !== undefined ? { price: input.price } : {}),
        ...(customFields.length > 0 ? { custom_fields_values: customFields.map((field) => field.amo) } : {}),
        ...(tags !== undefined ? { _embedded: { tags: tags.map((name): AmoTagInput => ({ name })) } } : {}),
      };
      if (Object.keys(update).length === 1) return lead; // nothing changes
      held.assertHeld();
      let updatedAt: number | null;
      try {
        [{ updatedAt }] = await api.updateLeads([update]);
      } catch (error) {
        throw explainAmocrmRefusal(error, {
          prefix: '',
          customFields: customFields.map((field) => field.source),
        });
      }
      const now = new Date();
      const data: Partial<LeadData> = {
        ...(update.name !== undefined ? { name: update.name } : {}),
        ...(placement
          ? {
              pipelineId: placement.pipeline.id,
              statusId: placement.status.id,
              status: placement.status.name,
              closedAt: isOpenStatus(placement.status.id)
                ? null
                : isOpenStatus(lead.statusId)
                  ? now
                  : lead.closedAt,
            }
          : {}),
        ...(update.price !== undefined ? { price: update.price } : {}),
        ...(customFields.length > 0
          ? {
              customFields: applyCustomFieldValues(
                lead.customFields,
                customFields.map((field) => field.local),
              ),
            }
          : {}),
        ...(tags !== undefined ? { tags } : {}),
        syncedAt: now,
      };
      await this.leads.update(workspaceId, lead.id, data);
      await this.echo.recordWrite(workspaceId, 'lead', amocrmId, {
        fields: echoFieldsOfLead({
          name: update.name,
          statusId: update.status_id,
          pipelineId: update.pipeline_id,
          price: update.price,
          tags,
          customFields,
        }),
        updatedAt,
      });
      return this.get(workspaceId, lead.id);
    });
  }
}

export function leadLockKey(workspaceId: string, contactId: string, name: string): string {
  return `foc:lead:${workspaceId}:${contactId}:${leadNameKey(name)}`;
}

/** Tag names without repeats (ignoring case), first spelling kept. */
function uniqueTags(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const name of names.map((tag) => tag.trim()).filter((tag) => tag !== '')) {
    const key = name.toLocaleLowerCase('ru');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(name);
  }
  return result;
}

/** What we wrote to a lead, as the echo guard compares it. */
function echoFieldsOfLead(written: {
  name?: string;
  statusId?: number;
  pipelineId?: number;
  price?: number;
  tags?: string[];
  customFields: readonly PreparedCustomField[];
}): Record<string, EchoValue> {
  return {
    ...(written.name !== undefined ? { name: written.name } : {}),
    ...(written.statusId !== undefined ? { status_id: written.statusId } : {}),
    ...(written.pipelineId !== undefined ? { pipeline_id: written.pipelineId } : {}),
    ...(written.price !== undefined ? { price: written.price } : {}),
    ...(written.tags !== undefined ? { tags: written.tags } : {}),
    ...echoOfCustomFields(written.customFields.map((field) => field.local)),
  };
}
