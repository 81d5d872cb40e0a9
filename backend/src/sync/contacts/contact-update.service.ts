import { Injectable } from '@nestjs/common';
import { callerLane } from '../amocrm-lane';
import type { AmoContact } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmAccountApi } from '../../amocrm/client/amocrm-account-api';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { ContactEntity } from '../../contacts/contact.entity';
import { ContactsService } from '../../contacts/contacts.service';
import type { UpdateContactDto } from '../../contacts/dto/contact.dto';
import { normalizeEmail, normalizePhone } from '../../contacts/phone';
import { NotFoundProblem, ValidationProblem } from '../../http/problem';
import { explainAmocrmRefusal } from '../amocrm-paths';
import { applyCustomFieldValues, type PreparedCustomField } from '../custom-fields';
import { EchoGuardService } from '../echo-guard.service';
import { EngineWritesService, type WriteOptions } from '../engine-writes';
import type { HeldLocks } from '../keyed-lock.service';
import { contactFieldValues } from '../mirror-field-values';
import { contactDataFromAmo } from './contact-mapping';
import { ContactSyncService } from './contact-sync.service';
import {
  buildContactWrite,
  contactFieldIdsOf,
  echoFieldsOfWrite,
  mergeWritten,
  type ContactChange,
  type ContactWrite,
} from './contact-writes';

/**
 * The engine's contact updates: checked against the metadata (read once), pushed to amoCRM under the identity
 * locks of an added phone or e-mail and the contact's write lock, then mirrored and recorded for the echo guard.
 */
@Injectable()
export class ContactUpdateService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly sync: ContactSyncService,
    private readonly client: AmocrmClient,
    private readonly echo: EchoGuardService,
    private readonly writes: EngineWritesService,
  ) {}

  /**
   * Pushes the change to amoCRM first, then the mirror. A new phone or e-mail is added with read-merge-write
   * (amoCRM replaces a multi-value field's whole set): the current contact is read from amoCRM, the value added
   * unless it is there already, and the whole set written, so phones added in amoCRM meanwhile are kept. Then
   * tells of the change (`contact.updated`; see EngineWritesService.updated).
   */
  async update(
    workspaceId: string,
    id: string,
    input: UpdateContactDto,
    options: WriteOptions = {},
  ): Promise<ContactEntity> {
    const contact = await this.liveContact(workspaceId, id);
    const { change, metadata } = await this.checkUpdate(workspaceId, input);
    const writeLock = `write:contact:${workspaceId}:${contact.amocrmId}`;
    const updated = await this.sync.withIdentityLocks(
      workspaceId,
      { phone: change.phone, email: change.email },
      (held) => this.applyUpdate(workspaceId, contact, change, metadata, held),
      [writeLock],
    );
    await this.writes.updated(
      workspaceId,
      options,
      { entity: 'contact', id: contact.id, amocrmId: contact.amocrmId },
      contactFieldValues(contact),
      contactFieldValues(updated),
    );
    return updated;
  }

  /** The contact of the workspace, as long as it still lives in amoCRM (404 otherwise). */
  private async liveContact(workspaceId: string, id: string): Promise<ContactEntity & { amocrmId: number }> {
    const contact = await this.contacts.get(workspaceId, id);
    if (contact.deletedAt !== null || contact.amocrmId === null)
      throw new NotFoundProblem('The contact (deleted in amoCRM)');
    return contact as ContactEntity & { amocrmId: number };
  }

  /** The update's phone (400 when invalid), e-mail and custom fields (400 when refused), with the metadata. */
  private async checkUpdate(
    workspaceId: string,
    input: UpdateContactDto,
  ): Promise<{ change: ContactChange; metadata: AmocrmMetadata | null }> {
    const phone =
      input.phone === undefined || input.phone === '' ? null : normalizePhone(input.phone, this.sync.region);
    if (input.phone !== undefined && input.phone !== '' && !phone)
      throw new ValidationProblem([
        { field: 'phone', code: 'phone', message: 'phone is not a valid phone number' },
      ]);
    const email = input.email === undefined || input.email === '' ? null : normalizeEmail(input.email);
    const { metadata, customFields } = await this.sync.metadataWithCustomFields(
      workspaceId,
      input.customFields,
      '',
    );
    return { change: { name: input.name, phone, email, customFields }, metadata };
  }

  /** Under the locks: read-merge-write in amoCRM, then the mirror row, then the echo record. */
  private async applyUpdate(
    workspaceId: string,
    contact: ContactEntity & { amocrmId: number },
    change: ContactChange,
    metadata: AmocrmMetadata | null,
    held: HeldLocks,
  ): Promise<ContactEntity> {
    const api = this.client.forWorkspace(workspaceId, callerLane());
    const fieldIds = contactFieldIdsOf(metadata);
    const current =
      change.phone || change.email ? await this.readLive(workspaceId, api, contact.amocrmId) : null;
    const write = buildContactWrite(contact.amocrmId, change, current, fieldIds, this.sync.region);
    if (!write) return contact; // nothing changes
    held.assertHeld();
    let updatedAt: number | null;
    try {
      [{ updatedAt }] = await api.updateContacts([write.update]);
    } catch (error) {
      throw explainAmocrmRefusal(error, { prefix: '', customFields: write.sources });
    }
    await this.mirrorUpdate(workspaceId, contact, current, write, change.customFields, metadata);
    await this.echo.recordWrite(workspaceId, 'contact', contact.amocrmId, {
      fields: echoFieldsOfWrite(write, change.customFields, fieldIds),
      updatedAt,
    });
    return this.contacts.get(workspaceId, contact.id);
  }

  /** The contact as amoCRM has it now; when amoCRM deleted it, its row is marked deleted and 404 answered. */
  private async readLive(workspaceId: string, api: AmocrmAccountApi, amocrmId: number): Promise<AmoContact> {
    const current = await api.getContact(amocrmId);
    if (!current || current.is_deleted === true) {
      await this.contacts.markDeleted(workspaceId, amocrmId, new Date());
      throw new NotFoundProblem('The contact (deleted in amoCRM)');
    }
    return current;
  }

  /**
   * The mirror after an update: the whole row from amoCRM's state when it was read (merged phones and e-mails),
   * else the written name and custom fields.
   */
  private async mirrorUpdate(
    workspaceId: string,
    contact: ContactEntity,
    current: AmoContact | null,
    write: ContactWrite,
    customFields: readonly PreparedCustomField[],
    metadata: AmocrmMetadata | null,
  ): Promise<void> {
    const now = new Date();
    if (current) {
      const state = {
        ...current,
        name: write.update.name ?? current.name,
        custom_fields_values: mergeWritten(current.custom_fields_values, write.values, customFields),
      };
      await this.contacts.upsertMirrorRow(
        workspaceId,
        contactDataFromAmo(state, this.sync.region, contactFieldIdsOf(metadata), now),
      );
      return;
    }
    await this.contacts.updateMirrorRow(workspaceId, contact.id, {
      ...(write.update.name !== undefined ? { name: write.update.name } : {}),
      customFields: applyCustomFieldValues(
        contact.customFields,
        customFields.map((field) => field.local),
      ),
      syncedAt: now,
    });
  }
}
