import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { callerLane } from '../amocrm-lane';
import type { CountryCode } from 'libphonenumber-js';
import type { AmoContact } from '../../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import { AppConfig } from '../../config/app-config';
import type { ContactEntity } from '../../contacts/contact.entity';
import { ContactsService } from '../../contacts/contacts.service';
import type { CreateContactDto } from '../../contacts/dto/contact.dto';
import { phoneSearchDigits } from '../../contacts/phone';
import { ValidationProblem } from '../../http/problem';
import { explainAmocrmRefusal } from '../amocrm-paths';
import { AmocrmWriteBatcher } from '../amocrm-write-batcher.service';
import type { CustomFieldInput, PreparedCustomField } from '../custom-fields';
import { EchoGuardService } from '../echo-guard.service';
import { EngineWritesService, mirrorSourceOf, type WriteOptions } from '../engine-writes';
import { KeyedLockService, type HeldLocks } from '../keyed-lock.service';
import { SOURCE_AMOCRM, SOURCE_API } from '../mirror-sources';
import { SyncMetadataService } from '../sync-metadata.service';
import { identityLockKeys, identityOf, type ContactIdentity } from './contact-identity';
import { contactDataFromAmo } from './contact-mapping';
import { CreatedContactsMirror, createdContactRow } from './created-contacts-mirror';
import { pickContactByEmail, pickContactByPhone } from './contact-matching';
import {
  checkContactCustomFields,
  contactFieldIdsOf,
  echoFieldsOfCreate,
  prepareContact,
  type PreparedContact,
} from './contact-writes';

/** A contact found by find-or-create's lookup. */
export interface ExistingContact {
  contact: ContactEntity;
  /** Found in the mirror, or in amoCRM (and mirrored just now). */
  foundIn: 'mirror' | 'amocrm';
  /** The amoCRM ids of its leads when amoCRM was asked with `with=leads`; undefined when not known. */
  amoLeadIds?: number[];
}

export type FoundOrCreated = { contact: ContactEntity; created: boolean };

/**
 * The engine's contacts: find-or-create without duplicates, and updates pushed to amoCRM first, then mirrored
 * (src/contacts holds the mirror rows). The account metadata is read once per request and passed down.
 *
 * Find-or-create: normalise (E.164 phone, lower-case e-mail) → take the Redis locks of the phone and e-mail keys
 * (sorted; shared by all processes) → look the contact up again under the locks: mirror by phone, amoCRM by phone
 * (`query` with the last ten digits, then the exact compare of normalised PHONE values), then the same by e-mail
 * → create it in amoCRM (coalesced with concurrent creates into batches of up to 50) → upsert the mirror by
 * amoCRM id → release. Decisions:
 * - Phone wins: a contact found by phone is the contact even when its stored e-mail differs. The e-mail is
 *   looked up only when no contact has the phone; a contact found by e-mail is the contact too.
 * - Find-or-create never edits an existing contact (no name, phone or e-mail added): PATCH does that.
 * - Several contacts with the phone: the oldest one (lowest amoCRM id) — the same for every caller.
 * - The mirror is matched on every phone and e-mail of a contact (its `contact_identities`, kept in step by the
 *   mirror's row writes), so a contact known by its second phone costs no amoCRM search; one amoCRM knows and the
 *   mirror does not yet is found there and mirrored with all its phones, never duplicated.
 */
@Injectable()
export class ContactSyncService {
  readonly region: CountryCode;
  private readonly created: CreatedContactsMirror;

  constructor(
    config: AppConfig,
    private readonly contacts: ContactsService,
    private readonly client: AmocrmClient,
    private readonly batcher: AmocrmWriteBatcher,
    private readonly locks: KeyedLockService,
    private readonly echo: EchoGuardService,
    private readonly metadata: SyncMetadataService,
    private readonly writes: EngineWritesService,
    dataSource: DataSource,
  ) {
    this.region = config.defaultPhoneRegion;
    this.created = new CreatedContactsMirror(dataSource, contacts, echo);
  }

  // ---- find-or-create ----

  /** A contact created is mirrored with the write's origin as source and told (`contact.created`). */
  async findOrCreate(
    workspaceId: string,
    input: CreateContactDto,
    options: WriteOptions = {},
  ): Promise<FoundOrCreated> {
    const identity = identityOf(input, this.region);
    const { metadata, customFields } = await this.metadataWithCustomFields(
      workspaceId,
      input.customFields,
      '',
    );
    const prepared = prepareContact(input.name, identity, customFields, '');
    const result = await this.withIdentityLocks(workspaceId, identity, async (held) => {
      const existing = await this.findExisting(workspaceId, identity, metadata, {
        trustMirror: options.trustMirror === true,
      });
      if (existing) return { contact: existing.contact, created: false };
      held.assertHeld();
      let result;
      try {
        result = await this.batcher.createContact(workspaceId, prepared.amo, held);
      } catch (error) {
        throw explainAmocrmRefusal(error, prepared.shape);
      }
      // mirrored together with the other contacts of its create request (one transaction, one echo pipeline)
      const contact = await this.created.save(workspaceId, mirrorSourceOf(options), {
        amocrmId: result.id,
        prepared,
        metadata,
      });
      return { contact, created: true };
    });
    if (result.created)
      await this.writes.created(
        workspaceId,
        options,
        { entity: 'contact', id: result.contact.id, amocrmId: result.contact.amocrmId },
        ['contact.created'],
      );
    return result;
  }

  /** Runs `work` holding the cross-process locks of the identity's phone and e-mail (taken in a fixed order). */
  withIdentityLocks<T>(
    workspaceId: string,
    identity: ContactIdentity,
    work: (held: HeldLocks) => Promise<T>,
    extraKeys: string[] = [],
  ): Promise<T> {
    return this.locks.withLocks([...identityLockKeys(workspaceId, identity), ...extraKeys], work);
  }

  /**
   * The existing contact with this identity, looked up under the identity's locks: mirror by phone, amoCRM by
   * phone, mirror by e-mail, amoCRM by e-mail (phone wins). A contact found in amoCRM is mirrored now.
   * `trustMirror` (a complete, current mirror: imports only) skips the amoCRM searches.
   */
  async findExisting(
    workspaceId: string,
    identity: ContactIdentity,
    metadata: AmocrmMetadata | null,
    options: { withLeads?: boolean; trustMirror?: boolean } = {},
  ): Promise<ExistingContact | null> {
    const api = this.client.forWorkspace(workspaceId, callerLane());
    const relations = options.withLeads ? (['leads'] as 'leads'[]) : undefined;
    const fieldIds = contactFieldIdsOf(metadata);
    const withLeads = options.withLeads === true;
    const trusted = options.trustMirror === true;
    if (identity.phone) {
      const local = await this.contacts.findByPhone(workspaceId, identity.phone);
      if (local) return { contact: local, foundIn: 'mirror' };
      const hits = trusted
        ? []
        : await api.findContactsByQuery(phoneSearchDigits(identity.phone), { with: relations });
      const match = pickContactByPhone(hits, identity.phone, this.region, fieldIds.phone);
      if (match) return this.mirrorFound(workspaceId, match, metadata, withLeads);
    }
    if (identity.email) {
      const local = await this.contacts.findByEmail(workspaceId, identity.email);
      if (local) return { contact: local, foundIn: 'mirror' };
      const hits = trusted ? [] : await api.findContactsByQuery(identity.email, { with: relations });
      const match = pickContactByEmail(hits, identity.email, fieldIds.email);
      if (match) return this.mirrorFound(workspaceId, match, metadata, withLeads);
    }
    return null;
  }

  /** Mirrors a contact created in amoCRM by the engine and records the write for the echo guard. */
  async saveCreated(
    workspaceId: string,
    amocrmId: number,
    prepared: PreparedContact,
    metadata: AmocrmMetadata | null,
    source: string = SOURCE_API,
  ): Promise<ContactEntity> {
    const contact = await this.contacts.upsertMirrorRow(
      workspaceId,
      createdContactRow(amocrmId, prepared, metadata),
      source,
    );
    await this.echo.recordWrite(workspaceId, 'contact', amocrmId, {
      fields: echoFieldsOfCreate(prepared, contactFieldIdsOf(metadata)),
    });
    return contact;
  }

  /** Reads a contact from amoCRM and mirrors it (e.g. after amoCRM merged a new contact into an existing one). */
  async mirrorFromAmocrm(
    workspaceId: string,
    amocrmId: number,
    metadata: AmocrmMetadata | null,
  ): Promise<ContactEntity | null> {
    const contact = await this.client.forWorkspace(workspaceId, callerLane()).getContact(amocrmId);
    if (!contact || contact.is_deleted === true) return null;
    return (await this.mirrorFound(workspaceId, contact, metadata, false)).contact;
  }

  /**
   * The amoCRM ids of the contact's leads (`GET /contacts/{id}?with=leads`); null when the contact is gone from
   * amoCRM (its mirror row is then marked deleted).
   */
  async amocrmLeadIdsOf(workspaceId: string, contact: ContactEntity): Promise<number[] | null> {
    if (contact.amocrmId === null) return [];
    const amo = await this.client
      .forWorkspace(workspaceId, callerLane())
      .getContact(contact.amocrmId, { with: ['leads'] });
    if (!amo || amo.is_deleted === true) {
      await this.contacts.markDeleted(workspaceId, contact.amocrmId, new Date());
      return null;
    }
    return (amo._embedded?.leads ?? []).map((lead) => lead.id);
  }

  /**
   * The metadata this request works with, read once: validated against the custom fields when there are some
   * (loaded from amoCRM when missing, reloaded once when stale), else the cached snapshot (null when never
   * loaded). A 400 lists the custom fields it refuses.
   */
  async metadataWithCustomFields(
    workspaceId: string,
    inputs: readonly CustomFieldInput[] | undefined,
    prefix: string,
  ): Promise<{ metadata: AmocrmMetadata | null; customFields: PreparedCustomField[] }> {
    if (!inputs || inputs.length === 0)
      return { metadata: await this.metadata.cached(workspaceId), customFields: [] };
    const path = `${prefix}customFields`;
    const { metadata, problems } = await this.metadata.validated(
      workspaceId,
      (snapshot) => checkContactCustomFields(inputs, snapshot, path).errors,
    );
    if (problems.length > 0) throw new ValidationProblem(problems);
    return { metadata, customFields: checkContactCustomFields(inputs, metadata, path).fields };
  }

  private async mirrorFound(
    workspaceId: string,
    match: AmoContact,
    metadata: AmocrmMetadata | null,
    withLeads: boolean,
  ): Promise<ExistingContact> {
    const contact = await this.contacts.upsertMirrorRow(
      workspaceId,
      contactDataFromAmo(match, this.region, contactFieldIdsOf(metadata), new Date()),
      SOURCE_AMOCRM,
    );
    return {
      contact,
      foundIn: 'amocrm',
      ...(withLeads ? { amoLeadIds: (match._embedded?.leads ?? []).map((lead) => lead.id) } : {}),
    };
  }
}
