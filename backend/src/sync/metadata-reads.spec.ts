import type { AmoContact, AmoContactUpdate } from '../amocrm/client/amocrm-api.types';
import type { AmocrmClient } from '../amocrm/client/amocrm-client';
import type { AmocrmMetadataService } from '../amocrm/metadata/amocrm-metadata.service';
import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../amocrm/metadata/amocrm-metadata.types';
import type { AppConfig } from '../config/app-config';
import { ContactEntity } from '../contacts/contact.entity';
import type { ContactsService, CrmContactData } from '../contacts/contacts.service';
import { LeadEntity } from '../leads/lead.entity';
import type { CrmLeadData, LeadsService } from '../leads/leads.service';
import type { AmocrmWriteBatcher } from './amocrm-write-batcher.service';
import { ContactSyncService } from './contacts/contact-sync.service';
import { ContactUpdateService } from './contacts/contact-update.service';
import type { EchoGuardService } from './echo-guard.service';
import type { HeldLocks, KeyedLockService } from './keyed-lock.service';
import { EngineWritesService } from './engine-writes';
import { LeadSyncService } from './leads/lead-sync.service';
import { SyncMetadataService } from './sync-metadata.service';
import type { DataSource } from 'typeorm';

/**
 * The engine reads the account metadata once per request and passes it down (it was read up to four times in
 * one find-or-create: the checks, the contact lookup, and each mirror row saved).
 */

const WORKSPACE = 'w1';
const textField = (id: number, code: string | null): AmocrmCustomFieldMeta => ({
  id,
  name: `f${id}`,
  code,
  type: 'text',
  sort: id,
  enums: null,
});

const metadata: AmocrmMetadata = {
  account: { id: 1, name: 'a', subdomain: 'a', currentUserId: 7, currency: 'RUB' },
  users: [],
  pipelines: [
    {
      id: 1,
      name: 'Воронка',
      isMain: true,
      isArchive: false,
      sort: 1,
      statuses: [
        { id: 100, name: 'Неразобранное', color: null, type: 1, sort: 10 },
        { id: 11, name: 'Первичный контакт', color: null, type: 0, sort: 20 },
      ],
    },
  ],
  contactFields: [textField(501, 'PHONE'), textField(502, 'EMAIL'), textField(601, null)],
  leadFields: [textField(701, null)],
  fetchedAt: new Date(),
};

function setUp() {
  const reads = { count: 0 };
  const amocrmMetadata = {
    getMetadata: () => {
      reads.count += 1;
      return Promise.resolve(metadata);
    },
    refresh: () => {
      reads.count += 1;
      return Promise.resolve(metadata);
    },
  } as unknown as AmocrmMetadataService;
  const contactRows = new Map<number, ContactEntity>();
  const contactsMirror = {
    get: (_workspaceId: string, id: string) =>
      Promise.resolve([...contactRows.values()].find((row) => row.id === id)!),
    findByPhone: () => Promise.resolve(null),
    findByEmail: () => Promise.resolve(null),
    upsertMirrorRow: (workspaceId: string, data: CrmContactData) => {
      const row = Object.assign(contactRows.get(data.amocrmId) ?? new ContactEntity(), data, {
        workspaceId,
        deletedAt: null,
      });
      contactRows.set(data.amocrmId, row);
      return Promise.resolve(row);
    },
    updateMirrorRow: () => Promise.resolve(),
    markDeleted: () => Promise.resolve(true),
  } as unknown as ContactsService;
  const leadsMirror = {
    upsertMirrorRow: (workspaceId: string, data: CrmLeadData) =>
      Promise.resolve(Object.assign(new LeadEntity(), data, { workspaceId, deletedAt: null })),
  } as unknown as LeadsService;
  const amoContact: AmoContact = {
    id: 9001,
    name: 'Анна',
    responsible_user_id: 7,
    created_at: 0,
    updated_at: 0,
    custom_fields_values: [{ field_id: 501, field_code: 'PHONE', values: [{ value: '+79161234567' }] }],
  };
  const updates: AmoContactUpdate[] = [];
  const api = {
    findContactsByQuery: () => Promise.resolve([]),
    getContact: () => Promise.resolve(amoContact),
    updateContacts: (batch: AmoContactUpdate[]) => {
      updates.push(...batch);
      return Promise.resolve(batch.map((update) => ({ id: update.id, updatedAt: 1 })));
    },
  };
  const client = { forWorkspace: () => api } as unknown as AmocrmClient;
  const batcher = {
    createLeadWithContact: () =>
      Promise.resolve({ requestId: 'r', leadId: 8001, contactId: 9001, companyId: null, merged: false }),
  } as unknown as AmocrmWriteBatcher;
  const held: HeldLocks = { lost: false, assertHeld: () => undefined };
  const locks = {
    withLocks: <T>(_keys: string[], work: (held: HeldLocks) => Promise<T>) => work(held),
  } as unknown as KeyedLockService;
  const echo = { recordWrite: () => Promise.resolve() } as unknown as EchoGuardService;
  const config = { defaultPhoneRegion: 'RU' } as AppConfig;
  const syncMetadata = new SyncMetadataService(amocrmMetadata);
  const writes = new EngineWritesService();
  const contacts = new ContactSyncService(
    config,
    contactsMirror,
    client,
    batcher,
    locks,
    echo,
    syncMetadata,
    writes,
    {} as DataSource,
  );
  const leads = new LeadSyncService(
    leadsMirror,
    contactsMirror,
    contacts,
    client,
    batcher,
    locks,
    echo,
    syncMetadata,
    writes,
  );
  const contactUpdates = new ContactUpdateService(contactsMirror, contacts, client, echo, writes);
  return { reads, contacts, leads, contactUpdates, contactsMirror, updates };
}

describe('metadata reads of the engine', () => {
  it('a lead created with its new contact reads the metadata once, and answers the stage by name', async () => {
    const { reads, leads } = setUp();
    const result = await leads.findOrCreate(WORKSPACE, {
      name: 'Заявка с сайта',
      customFields: [{ fieldId: 701, values: [{ value: 'utm' }] }],
      contact: {
        name: 'Анна',
        phone: '8 916 123-45-67',
        customFields: [{ fieldId: 601, values: [{ value: 'VIP' }] }],
      },
    });
    expect(result).toMatchObject({ created: true, contactCreated: true });
    expect(result.lead).toMatchObject({ amocrmId: 8001, responsibleUserId: 7, statusId: 11 });
    expect(result.contact).toMatchObject({ amocrmId: 9001, phone: '+79161234567' });
    expect(result.names).toEqual({ pipeline: 'Воронка', status: 'Первичный контакт' });
    expect(reads.count).toBe(1);
  });

  it('a contact update adding a phone and a custom field reads the metadata once', async () => {
    const { reads, contactUpdates, contactsMirror, updates } = setUp();
    const row = await contactsMirror.upsertMirrorRow(WORKSPACE, {
      amocrmId: 9001,
      name: 'Анна',
      phone: '+79161234567',
      email: null,
      phones: ['+79161234567'],
      emails: [],
      responsibleUserId: 7,
      customFields: [],
      syncedAt: new Date(),
    });
    await contactUpdates.update(WORKSPACE, row.id, {
      phone: '+7 903 000-00-01',
      customFields: [{ fieldId: 601, values: [{ value: 'VIP' }] }],
    });
    expect(updates).toHaveLength(1);
    expect(updates[0].custom_fields_values).toEqual([
      { field_id: 501, values: [{ value: '+79161234567' }, { value: '+79030000001', enum_code: 'WORK' }] },
      { field_id: 601, values: [{ value: 'VIP' }] },
    ]);
    expect(reads.count).toBe(1);
  });
});
