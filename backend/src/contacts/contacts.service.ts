import { Injectable } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import type { EntityManager } from 'typeorm';
import type {
  AmoContact,
  AmoContactInput,
  AmoContactUpdate,
  AmoCustomFieldValue,
} from '../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../amocrm/client/amocrm-client';
import type { AmocrmMetadata } from '../amocrm/metadata/amocrm-metadata.types';
import { AppConfig } from '../config/app-config';
import { NotFoundProblem, ValidationProblem, type FieldError } from '../http/problem';
import { pageOf, type Page } from '../http/pagination';
import { explainAmocrmRefusal, type AmoWriteShape } from '../sync/amocrm-paths';
import { AmocrmWriteBatcher } from '../sync/amocrm-write-batcher.service';
import { applyCustomFieldValues, prepareCustomFields, type PreparedCustomField } from '../sync/custom-fields';
import type { EchoValue } from '../sync/echo-fingerprint';
import { EchoGuardService } from '../sync/echo-guard.service';
import { KeyedLockService, type HeldLocks } from '../sync/keyed-lock.service';
import { SyncMetadataService } from '../sync/sync-metadata.service';
import type { ContactEntity, CustomFieldValues } from './contact.entity';
import { contactDataFromAmo, type ContactFieldIds } from './contact-mapping';
import {
  mergeMultiValue,
  multiValueField,
  pickContactByEmail,
  pickContactByPhone,
  sameEmail,
  samePhone,
} from './contact-matching';
import { ContactsRepository, type ContactData } from './contacts.repository';
import type { ContactQueryDto, CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { normalizeEmail, normalizePhone, phoneSearchDigits } from './phone';

/** How a contact is identified for find-or-create: E.164 phone and/or lower-case e-mail (at least one). */
export interface ContactIdentity {
  phone: string | null;
  email: string | null;
}

/** A contact found by find-or-create's lookup. */
export interface ExistingContact {
  contact: ContactEntity;
  /** Found in the mirror, or in amoCRM (and mirrored just now). */
  foundIn: 'mirror' | 'amocrm';
  /** The amoCRM ids of its leads when amoCRM was asked with `with=leads`; undefined when not known. */
  amoLeadIds?: number[];
}

/** A contact to create in amoCRM, checked and converted. */
export interface PreparedContact {
  identity: ContactIdentity;
  name: string;
  /** The contact as amoCRM takes it (without request_id). */
  amo: AmoContactInput;
  /** How its fields map back to the client's names (amoCRM validation errors). */
  shape: AmoWriteShape;
  customFields: PreparedCustomField[];
}

export type FoundOrCreated = { contact: ContactEntity; created: boolean };

/** Mirror rows made by this API for contacts it created in amoCRM. */
export const SOURCE_API = 'api';
/** Mirror rows of contacts that already existed in amoCRM when the API found them. */
export const SOURCE_AMOCRM = 'amocrm';

/**
 * Contacts for client apps: reads from the local mirror (never amoCRM, so they work while amoCRM is down),
 * find-or-create without duplicates, and updates pushed to amoCRM first.
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
 * - The mirror is matched on the main (first) phone and e-mail; a contact known by another of its phones is
 *   found through amoCRM and mirrored, never duplicated.
 */
@Injectable()
export class ContactsService {
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    private readonly contacts: ContactsRepository,
    private readonly client: AmocrmClient,
    private readonly batcher: AmocrmWriteBatcher,
    private readonly locks: KeyedLockService,
    private readonly echo: EchoGuardService,
    private readonly metadata: SyncMetadataService,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  // ---- reads (the mirror only) ----

  async list(workspaceId: string, query: ContactQueryDto): Promise<Page<ContactEntity>> {
    let phone: string | undefined;
    if (query.phone !== undefined && query.phone.trim() !== '') {
      phone = normalizePhone(query.phone, this.region) ?? undefined;
      if (!phone)
        throw new ValidationProblem([
          { field: 'phone', code: 'phone', message: 'phone is not a valid phone number' },
        ]);
    }
    const email =
      query.email !== undefined && query.email.trim() !== '' ? normalizeEmail(query.email) : undefined;
    const [items, total] = await this.contacts.search(workspaceId, {
      search: query.search?.trim() || undefined,
      phone,
      email,
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return pageOf(items, total, query);
  }

  /** A contact of the workspace; 404 for another workspace's id. */
  async get(workspaceId: string, id: string): Promise<ContactEntity> {
    const contact = await this.contacts.findById(workspaceId, id);
    if (!contact) throw new NotFoundProblem('The contact');
    return contact;
  }

  // ---- find-or-create ----

  async findOrCreate(workspaceId: string, input: CreateContactDto): Promise<FoundOrCreated> {
    const prepared = await this.prepareCreate(workspaceId, input, '');
    return this.withIdentityLocks(workspaceId, prepared.identity, async (held) => {
      const existing = await this.findExisting(workspaceId, prepared.identity);
      if (existing) return { contact: existing.contact, created: false };
      held.assertHeld();
      let result;
      try {
        result = await this.batcher.createContact(workspaceId, prepared.amo, held);
      } catch (error) {
        throw explainAmocrmRefusal(error, prepared.shape);
      }
      return { contact: await this.saveCreated(workspaceId, result.id, prepared), created: true };
    });
  }

  /** Normalised phone and e-mail; a 400 naming the field when the phone is invalid or both are missing. */
  identityOf(input: { phone?: string; email?: string }, prefix = ''): ContactIdentity {
    const errors: FieldError[] = [];
    let phone: string | null = null;
    if (input.phone !== undefined && input.phone !== '') {
      phone = normalizePhone(input.phone, this.region);
      if (!phone)
        errors.push({
          field: `${prefix}phone`,
          code: 'phone',
          message: `${prefix}phone is not a valid phone number`,
        });
    }
    const email = input.email !== undefined && input.email !== '' ? normalizeEmail(input.email) : null;
    if (errors.length === 0 && !phone && !email) {
      const message = `give ${prefix}phone or ${prefix}email (at least one): the contact is found by them`;
      errors.push(
        { field: `${prefix}phone`, code: 'required', message },
        { field: `${prefix}email`, code: 'required', message },
      );
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    return { phone, email };
  }

  /** Checks a contact to create (phone, e-mail, custom fields against the metadata) and converts it for amoCRM. */
  async prepareCreate(
    workspaceId: string,
    input: CreateContactDto,
    prefix: string,
  ): Promise<PreparedContact> {
    const identity = this.identityOf(input, prefix);
    const customFields = await this.checkCustomFields(
      workspaceId,
      input.customFields,
      `${prefix}customFields`,
    );
    const values: AmoCustomFieldValue[] = [];
    const sources: string[] = [];
    if (identity.phone) {
      values.push({ field_code: 'PHONE', values: [{ value: identity.phone, enum_code: 'WORK' }] });
      sources.push('phone');
    }
    if (identity.email) {
      values.push({ field_code: 'EMAIL', values: [{ value: identity.email, enum_code: 'WORK' }] });
      sources.push('email');
    }
    for (const field of customFields) {
      values.push(field.amo);
      sources.push(field.source.slice(prefix.length));
    }
    return {
      identity,
      name: input.name,
      amo: { name: input.name, custom_fields_values: values },
      shape: { prefix, customFields: sources },
      customFields,
    };
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
   */
  async findExisting(
    workspaceId: string,
    identity: ContactIdentity,
    options: { withLeads?: boolean } = {},
  ): Promise<ExistingContact | null> {
    const api = this.client.forWorkspace(workspaceId, 'interactive');
    const relations = options.withLeads ? (['leads'] as 'leads'[]) : undefined;
    const fieldIds = await this.fieldIds(workspaceId);
    if (identity.phone) {
      const [local] = await this.contacts.findByPhone(workspaceId, identity.phone);
      if (local) return { contact: local, foundIn: 'mirror' };
      const hits = await api.findContactsByQuery(phoneSearchDigits(identity.phone), { with: relations });
      const match = pickContactByPhone(hits, identity.phone, this.region, fieldIds.phone);
      if (match) return this.mirrorFound(workspaceId, match, fieldIds, options.withLeads === true);
    }
    if (identity.email) {
      const [local] = await this.contacts.findByEmail(workspaceId, identity.email);
      if (local) return { contact: local, foundIn: 'mirror' };
      const hits = await api.findContactsByQuery(identity.email, { with: relations });
      const match = pickContactByEmail(hits, identity.email, fieldIds.email);
      if (match) return this.mirrorFound(workspaceId, match, fieldIds, options.withLeads === true);
    }
    return null;
  }

  /** Mirrors a contact created in amoCRM by this API and records the write for the echo guard. */
  async saveCreated(
    workspaceId: string,
    amocrmId: number,
    prepared: PreparedContact,
  ): Promise<ContactEntity> {
    const metadata = await this.metadata.cached(workspaceId);
    const { phone, email } = prepared.identity;
    const contact = await this.contacts.upsertByAmocrmId(
      workspaceId,
      {
        amocrmId,
        name: prepared.name,
        phone,
        email,
        phones: phone ? [phone] : [],
        emails: email ? [email] : [],
        responsibleUserId: metadata?.account.currentUserId ?? null,
        customFields: prepared.customFields.map((field) => field.local),
        syncedAt: new Date(),
      },
      SOURCE_API,
    );
    await this.echo.recordWrite(workspaceId, 'contact', amocrmId, {
      fields: this.echoFieldsOfCreate(prepared, metadata),
    });
    return contact;
  }

  /** Reads a contact from amoCRM and mirrors it (e.g. after amoCRM merged a new contact into an existing one). */
  async mirrorFromAmocrm(workspaceId: string, amocrmId: number): Promise<ContactEntity | null> {
    const contact = await this.client.forWorkspace(workspaceId, 'interactive').getContact(amocrmId);
    if (!contact || contact.is_deleted === true) return null;
    return (await this.mirrorFound(workspaceId, contact, await this.fieldIds(workspaceId), false)).contact;
  }

  /**
   * The amoCRM ids of the contact's leads (`GET /contacts/{id}?with=leads`); null when the contact is gone from
   * amoCRM (its mirror row is then marked deleted).
   */
  async amocrmLeadIdsOf(workspaceId: string, contact: ContactEntity): Promise<number[] | null> {
    if (contact.amocrmId === null) return [];
    const amo = await this.client
      .forWorkspace(workspaceId, 'interactive')
      .getContact(contact.amocrmId, { with: ['leads'] });
    if (!amo || amo.is_deleted === true) {
      await this.contacts.markDeleted(workspaceId, contact.amocrmId, new Date());
      return null;
    }
    return (amo._embedded?.leads ?? []).map((lead) => lead.id);
  }

  // ---- update ----

  /**
   * Pushes the change to amoCRM first, then the mirror. A new phone or e-mail is added with read-merge-write
   * (amoCRM replaces a multi-value field's whole set): the current contact is read from amoCRM, the value added
   * unless it is there already, and the whole set written, so phones added in amoCRM meanwhile are kept.
   */
  async update(workspaceId: string, id: string, input: UpdateContactDto): Promise<ContactEntity> {
    const contact = await this.get(workspaceId, id);
    if (contact.deletedAt !== null || contact.amocrmId === null)
      throw new NotFoundProblem('The contact (deleted in amoCRM)');
    const amocrmId = contact.amocrmId;
    const errors: FieldError[] = [];
    const phone =
      input.phone === undefined || input.phone === '' ? null : normalizePhone(input.phone, this.region);
    if (input.phone !== undefined && input.phone !== '' && !phone) {
      errors.push({ field: 'phone', code: 'phone', message: 'phone is not a valid phone number' });
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    const email = input.email === undefined || input.email === '' ? null : normalizeEmail(input.email);
    const customFields = await this.checkCustomFields(workspaceId, input.customFields, 'customFields');
    const keys = [`write:contact:${workspaceId}:${amocrmId}`];
    return this.withIdentityLocks(
      workspaceId,
      { phone, email },
      async (held) => {
        const api = this.client.forWorkspace(workspaceId, 'interactive');
        const fieldIds = await this.fieldIds(workspaceId);
        let current: AmoContact | null = null;
        if (phone || email) {
          current = await api.getContact(amocrmId);
          if (!current || current.is_deleted === true) {
            await this.contacts.markDeleted(workspaceId, amocrmId, new Date());
            throw new NotFoundProblem('The contact (deleted in amoCRM)');
          }
        }
        const values: AmoCustomFieldValue[] = [];
        const sources: string[] = [];
        const addMerged = (
          code: 'PHONE' | 'EMAIL',
          added: string,
          same: (a: string, b: string) => boolean,
          source: string,
        ): void => {
          const field = current
            ? multiValueField(current, code, code === 'PHONE' ? fieldIds.phone : fieldIds.email)
            : undefined;
          const merged = mergeMultiValue(field?.values ?? [], [added], same, 'WORK');
          if (!merged) return;
          const fieldId = field?.field_id ?? (code === 'PHONE' ? fieldIds.phone : fieldIds.email);
          values.push(
            fieldId !== undefined
              ? { field_id: fieldId, values: merged }
              : { field_code: code, values: merged },
          );
          sources.push(source);
        };
        if (phone) addMerged('PHONE', phone, samePhone(this.region), 'phone');
        if (email) addMerged('EMAIL', email, sameEmail, 'email');
        for (const field of customFields) {
          values.push(field.amo);
          sources.push(field.source);
        }
        const update: AmoContactUpdate = {
          id: amocrmId,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(values.length > 0 ? { custom_fields_values: values } : {}),
        };
        if (update.name === undefined && values.length === 0) return contact; // nothing changes
        held.assertHeld();
        let updatedAt: number | null;
        try {
          [{ updatedAt }] = await api.updateContacts([update]);
        } catch (error) {
          throw explainAmocrmRefusal(error, { prefix: '', customFields: sources });
        }
        const now = new Date();
        if (current) {
          const state = {
            ...current,
            name: update.name ?? current.name,
            custom_fields_values: mergeWritten(current.custom_fields_values, values, customFields),
          };
          await this.contacts.upsertByAmocrmId(
            workspaceId,
            contactDataFromAmo(state, this.region, fieldIds, now),
          );
        } else {
          await this.contacts.update(workspaceId, contact.id, {
            ...(update.name !== undefined ? { name: update.name } : {}),
            customFields: applyCustomFieldValues(
              contact.customFields,
              customFields.map((field) => field.local),
            ),
            syncedAt: now,
          });
        }
        const metadata = await this.metadata.cached(workspaceId);
        await this.echo.recordWrite(workspaceId, 'contact', amocrmId, {
          fields: this.echoFieldsOfWrite(update.name, values, customFields, metadata),
          updatedAt,
        });
        return this.get(workspaceId, contact.id);
      },
      keys,
    );
  }

  // ---- mirror sync from amoCRM (webhooks, reconciliation: writes run in the caller's transaction) ----

  /** Mirror rows of these amoCRM contacts, deleted ones included (reads only the mirror). */
  mirrorRowsOf(workspaceId: string, amocrmIds: readonly number[]): Promise<ContactEntity[]> {
    return this.contacts.findByAmocrmIds(workspaceId, amocrmIds);
  }

  /** Locks the mirror row of an amoCRM contact in `manager`'s transaction; only for rows known to exist. */
  lockMirrorRow(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
  ): Promise<ContactEntity | null> {
    return this.contacts.lockByAmocrmId(manager, workspaceId, amocrmId);
  }

  /** Inserts the mirror row of an amoCRM contact unless there is one: the row inserted, or null. */
  insertMirrorRowIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: ContactData & { amocrmId: number },
    source: string,
  ): Promise<ContactEntity | null> {
    return this.contacts.insertIfAbsent(manager, workspaceId, data, source);
  }

  /** Inserts the mirror rows of amoCRM contacts in one statement: the rows, and how many were new. */
  insertMirrorRowsIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: readonly (ContactData & { amocrmId: number })[],
    source: string,
  ): Promise<{ rows: ContactEntity[]; inserted: number }> {
    return this.contacts.insertAllIfAbsent(manager, workspaceId, data, source);
  }

  /** Inserts or updates the mirror row of an amoCRM contact (live again if it was deleted). */
  saveMirrorRow(
    manager: EntityManager,
    workspaceId: string,
    data: ContactData & { amocrmId: number },
    source: string,
  ): Promise<ContactEntity> {
    return this.contacts.upsertByAmocrmId(workspaceId, data, source, manager);
  }

  markMirrorRowDeleted(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
    at: Date,
  ): Promise<boolean> {
    return this.contacts.markDeleted(workspaceId, amocrmId, at, manager);
  }

  // ---- helpers ----

  private async mirrorFound(
    workspaceId: string,
    match: AmoContact,
    fieldIds: ContactFieldIds,
    withLeads: boolean,
  ): Promise<ExistingContact> {
    const contact = await this.contacts.upsertByAmocrmId(
      workspaceId,
      contactDataFromAmo(match, this.region, fieldIds, new Date()),
      SOURCE_AMOCRM,
    );
    return {
      contact,
      foundIn: 'amocrm',
      ...(withLeads ? { amoLeadIds: (match._embedded?.leads ?? []).map((lead) => lead.id) } : {}),
    };
  }

  private async checkCustomFields(
    workspaceId: string,
    inputs: CreateContactDto['customFields'],
    path: string,
  ): Promise<PreparedCustomField[]> {
    if (!inputs || inputs.length === 0) return [];
    const check = (metadata: AmocrmMetadata) =>
      prepareCustomFields(inputs, metadata.contactFields, path, { reservedCodes: ['PHONE', 'EMAIL'] });
    const { metadata, problems } = await this.metadata.validated(
      workspaceId,
      (snapshot) => check(snapshot).errors,
    );
    if (problems.length > 0) throw new ValidationProblem(problems);
    return check(metadata).fields;
  }

  private async fieldIds(workspaceId: string): Promise<ContactFieldIds> {
    const metadata = await this.metadata.cached(workspaceId);
    return fieldIdsOf(metadata);
  }

  private echoFieldsOfCreate(
    prepared: PreparedContact,
    metadata: AmocrmMetadata | null,
  ): Record<string, EchoValue> {
    const ids = fieldIdsOf(metadata);
    const fields: Record<string, EchoValue> = { name: prepared.name };
    if (prepared.identity.phone)
      fields[ids.phone !== undefined ? `cf:${ids.phone}` : 'cf:PHONE'] = [prepared.identity.phone];
    if (prepared.identity.email)
      fields[ids.email !== undefined ? `cf:${ids.email}` : 'cf:EMAIL'] = [prepared.identity.email];
    return { ...fields, ...echoOfCustomFields(prepared.customFields.map((field) => field.local)) };
  }

  private echoFieldsOfWrite(
    name: string | undefined,
    values: readonly AmoCustomFieldValue[],
    customFields: readonly PreparedCustomField[],
    metadata: AmocrmMetadata | null,
  ): Record<string, EchoValue> {
    const ids = fieldIdsOf(metadata);
    const fields: Record<string, EchoValue> = name !== undefined ? { name } : {};
    const custom = new Set(customFields.map((field) => field.amo.field_id));
    for (const field of values) {
      if (field.field_id !== undefined && custom.has(field.field_id)) continue;
      const code = field.field_code?.toUpperCase();
      const id = field.field_id ?? (code === 'PHONE' ? ids.phone : code === 'EMAIL' ? ids.email : undefined);
      fields[id !== undefined ? `cf:${id}` : `cf:${code ?? ''}`] = field.values.map((item) =>
        typeof item.value === 'string' || typeof item.value === 'number' ? item.value : null,
      );
    }
    return { ...fields, ...echoOfCustomFields(customFields.map((field) => field.local)) };
  }
}

export function identityLockKeys(workspaceId: string, identity: ContactIdentity): string[] {
  return [
    ...(identity.phone ? [`foc:contact:${workspaceId}:phone:${identity.phone}`] : []),
    ...(identity.email ? [`foc:contact:${workspaceId}:email:${identity.email}`] : []),
  ];
}

function fieldIdsOf(metadata: AmocrmMetadata | null): ContactFieldIds {
  const byCode = (code: string): number | undefined =>
    metadata?.contactFields.find((field) => field.code?.toUpperCase() === code)?.id;
  return { phone: byCode('PHONE'), email: byCode('EMAIL') };
}

/** Custom fields as the echo guard compares them: the values' texts (select options by their text). */
export function echoOfCustomFields(fields: readonly CustomFieldValues[]): Record<string, EchoValue> {
  const echo: Record<string, EchoValue> = {};
  for (const field of fields) echo[`cf:${field.fieldId}`] = field.values.map((item) => item.value);
  return echo;
}

/**
 * The contact's custom fields after our write: the written fields replace theirs. Custom fields are written
 * with option ids only, so their mirrored values come from the checked input (with the option's text).
 */
function mergeWritten(
  current: AmoContact['custom_fields_values'],
  written: readonly AmoCustomFieldValue[],
  customFields: readonly PreparedCustomField[],
): AmoCustomFieldValue[] {
  const result = [...(current ?? [])];
  const localById = new Map(customFields.map((field) => [field.local.fieldId, field.local]));
  for (const field of written) {
    const local = field.field_id !== undefined ? localById.get(field.field_id) : undefined;
    const value: AmoCustomFieldValue = local
      ? {
          field_id: local.fieldId,
          field_code: local.fieldCode,
          field_name: local.fieldName ?? undefined,
          values: local.values.map((item) => ({
            value: item.value,
            ...(item.enumId !== null ? { enum_id: item.enumId } : {}),
          })),
        }
      : { ...field };
    const index = result.findIndex(
      (candidate) =>
        (field.field_id !== undefined && candidate.field_id === field.field_id) ||
        (field.field_code && candidate.field_code?.toUpperCase() === field.field_code.toUpperCase()),
    );
    if (index >= 0)
      result[index] = {
        ...result[index],
        ...value,
        field_code: value.field_code ?? result[index].field_code,
      };
    else result.push(value);
  }
  return result;
}
