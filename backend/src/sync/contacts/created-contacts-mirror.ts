import type { DataSource } from 'typeorm';
import { AMOCRM_BATCH_SIZE } from '../../amocrm/client/amocrm-batches';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import { MicroBatcher } from '../../batching/micro-batcher';
import type { ContactEntity } from '../../contacts/contact.entity';
import type { ContactsService, CrmContactData } from '../../contacts/contacts.service';
import type { EchoGuardService } from '../echo-guard.service';
import { contactFieldIdsOf, echoFieldsOfCreate, type PreparedContact } from './contact-writes';

/** A contact find-or-create has just made in amoCRM, to mirror. */
export interface CreatedContact {
  amocrmId: number;
  prepared: PreparedContact;
  metadata: AmocrmMetadata | null;
}

/** The mirror row of a contact the engine created in amoCRM: what it sent, as amoCRM stores it. */
export function createdContactRow(
  amocrmId: number,
  prepared: PreparedContact,
  metadata: AmocrmMetadata | null,
): CrmContactData {
  const { phone, email } = prepared.identity;
  return {
    amocrmId,
    name: prepared.name,
    phone,
    email,
    phones: phone ? [phone] : [],
    emails: email ? [email] : [],
    responsibleUserId: metadata?.account.currentUserId ?? null,
    customFields: prepared.customFields.map((field) => field.local),
    syncedAt: new Date(),
  };
}

/**
 * Mirrors the contacts that concurrent find-or-creates created in amoCRM together (group commit, no timer): the
 * creates of one amoCRM request of up to 50 come back in the same turn of the event loop, and their mirror rows are
 * written with one multi-row INSERT IGNORE (and one for their identities) in one transaction, read back with one
 * SELECT, and recorded for the echo guard in one Redis pipeline — instead of a transaction of five statements and
 * a Redis round trip per contact. Each caller still holds its identity locks until its own row is committed.
 * A contact whose row exists already (its webhook came first) is saved one by one as before (upsert: our values).
 */
export class CreatedContactsMirror {
  private readonly batchers = new Map<string, MicroBatcher<CreatedContact, ContactEntity>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly echo: EchoGuardService,
  ) {}

  save(workspaceId: string, source: string, created: CreatedContact): Promise<ContactEntity> {
    const key = `${workspaceId}:${source}`;
    let batcher = this.batchers.get(key);
    if (!batcher) {
      const made: MicroBatcher<CreatedContact, ContactEntity> = new MicroBatcher(
        (items) => this.flush(workspaceId, source, items),
        {
          maxItems: AMOCRM_BATCH_SIZE,
          maxBytes: AMOCRM_BATCH_SIZE,
          maxConcurrent: 2,
          onIdle: () => {
            if (this.batchers.get(key) === made && made.idle) this.batchers.delete(key);
          },
        },
      );
      batcher = made;
      this.batchers.set(key, made);
    }
    return batcher.submit(created);
  }

  private async flush(
    workspaceId: string,
    source: string,
    items: readonly CreatedContact[],
  ): Promise<ContactEntity[]> {
    const data = items.map((item) => createdContactRow(item.amocrmId, item.prepared, item.metadata));
    const { inserted } = await this.dataSource.transaction((manager) =>
      this.contacts.insertMirrorRowsIfAbsent(manager, workspaceId, data, source),
    );
    let rows: ContactEntity[];
    if (inserted === data.length) {
      const byId = new Map(
        (
          await this.contacts.mirrorRowsOf(
            workspaceId,
            data.map((row) => row.amocrmId),
          )
        ).map((row) => [row.amocrmId, row]),
      );
      rows = data.map((row) => {
        const found = byId.get(row.amocrmId);
        if (!found) throw new Error(`the mirror row of amoCRM contact ${row.amocrmId} is missing`);
        return found;
      });
    } else {
      rows = [];
      for (const row of data) rows.push(await this.contacts.upsertMirrorRow(workspaceId, row, source));
    }
    await this.echo.recordWrites(
      workspaceId,
      'contact',
      items.map((item) => ({
        amocrmId: item.amocrmId,
        fields: echoFieldsOfCreate(item.prepared, contactFieldIdsOf(item.metadata)),
      })),
    );
    return rows;
  }
}
