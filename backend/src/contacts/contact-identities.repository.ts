import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactEntity } from './contact.entity';
import type { ContactIdentityKind } from './contact-identity.entity';

/** The columns of a contact's row its identities are made from. */
export type IdentityFields = Pick<ContactEntity, 'phone' | 'email' | 'phones' | 'emails' | 'deletedAt'>;

/** The columns of a contact's row its identities are made from. */
export const IDENTITY_FIELDS = ['phone', 'email', 'phones', 'emails'] as const;

export interface ContactIdentity {
  kind: ContactIdentityKind;
  value: string;
}

/** The longest value stored (an e-mail address can have at most 254 characters); longer ones match nothing. */
const MAX_VALUE_LENGTH = 254;

/**
 * Every phone and e-mail of a contact's row, each once (main ones included even when the lists lack them); none for
 * a deleted contact, so a deleted contact is never found by them.
 */
export function identitiesOf(row: IdentityFields | null): ContactIdentity[] {
  if (!row || row.deletedAt) return [];
  const found = new Map<string, ContactIdentity>();
  const add = (kind: ContactIdentityKind, value: string | null | undefined): void => {
    if (typeof value !== 'string') return;
    const text = kind === 'email' ? value.trim().toLowerCase() : value.trim();
    if (text === '' || text.length > MAX_VALUE_LENGTH) return;
    found.set(`${kind}:${text}`, { kind, value: text });
  };
  for (const phone of [row.phone, ...(row.phones ?? [])]) add('phone', phone);
  for (const email of [row.email, ...(row.emails ?? [])]) add('email', email);
  return [...found.values()];
}

/**
 * The `contact_identities` rows, kept in step with the contacts' rows by ContactsRepository in the transaction of
 * each row write. Writes touch exact primary keys only (never a range of the index), so concurrent writers of other
 * contacts take no gap locks from them.
 */
@Injectable()
export class ContactIdentitiesRepository {
  /** The identities of newly inserted contacts, in one INSERT for all of them. */
  async insertFor(
    manager: EntityManager,
    workspaceId: string,
    contacts: readonly (IdentityFields & { id: string })[],
  ): Promise<void> {
    const rows = contacts.flatMap((contact) =>
      identitiesOf(contact).map((identity) => ({ contactId: contact.id, ...identity })),
    );
    await this.insertRows(manager, workspaceId, rows);
  }

  /**
   * The identities of the rows an INSERT IGNORE of `rows` inserted (`inserted` of them), in one INSERT: all, none,
   * or those whose (new) ids exist now.
   */
  async insertForInserted(
    manager: EntityManager,
    workspaceId: string,
    rows: readonly (IdentityFields & { id: string })[],
    inserted: number,
  ): Promise<void> {
    if (inserted === 0) return;
    let made = rows;
    if (inserted < rows.length) {
      const found = await manager.query<{ id: string }[]>(
        `SELECT id FROM contacts WHERE workspace_id = ? AND id IN (${rows.map(() => '?').join(', ')})`,
        [workspaceId, ...rows.map((row) => row.id)],
      );
      const ids = new Set(found.map((row) => row.id));
      made = rows.filter((row) => ids.has(row.id));
    }
    await this.insertFor(manager, workspaceId, made);
  }

  /**
   * Brings a contact's identities from what its row had (`before`, null when there was no row) to what it has now
   * (`after`, null when it is gone): deletes the ones it lost, inserts the new ones; nothing when they are the same.
   */
  async replace(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    before: IdentityFields | null,
    after: IdentityFields | null,
  ): Promise<void> {
    await this.replaceAll(manager, workspaceId, [{ contactId, before, after }]);
  }

  /** `replace` for several contacts: one DELETE of what they lost, one INSERT of what they gained (if any). */
  async replaceAll(
    manager: EntityManager,
    workspaceId: string,
    changes: readonly { contactId: string; before: IdentityFields | null; after: IdentityFields | null }[],
  ): Promise<void> {
    const gone: (ContactIdentity & { contactId: string })[] = [];
    const added: (ContactIdentity & { contactId: string })[] = [];
    const keyOf = (identity: ContactIdentity): string => `${identity.kind}:${identity.value}`;
    for (const { contactId, before, after } of changes) {
      const had = identitiesOf(before);
      const has = identitiesOf(after);
      const hasKeys = new Set(has.map(keyOf));
      const hadKeys = new Set(had.map(keyOf));
      for (const identity of had) if (!hasKeys.has(keyOf(identity))) gone.push({ contactId, ...identity });
      for (const identity of has) if (!hadKeys.has(keyOf(identity))) added.push({ contactId, ...identity });
    }
    if (gone.length > 0) {
      const parameters = gone.flatMap((row) => [workspaceId, row.kind, row.value, row.contactId]);
      await manager.query(
        `DELETE FROM contact_identities WHERE ${gone
          .map(() => '(workspace_id = ? AND kind = ? AND value = ? AND contact_id = ?)')
          .join(' OR ')}`,
        parameters,
      );
    }
    await this.insertRows(manager, workspaceId, added);
  }

  private async insertRows(
    manager: EntityManager,
    workspaceId: string,
    rows: readonly (ContactIdentity & { contactId: string })[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT IGNORE INTO contact_identities (workspace_id, kind, value, contact_id) VALUES ${rows
        .map(() => '(?, ?, ?, ?)')
        .join(', ')}`,
      rows.flatMap((row) => [workspaceId, row.kind, row.value, row.contactId]),
    );
  }
}
