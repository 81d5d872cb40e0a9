import type { EntityManager } from 'typeorm';
import { hydrateRow, upsertStatement } from '../database/entity-rows';
import { ContactEntity } from './contact.entity';
import type { ContactData } from './contacts.repository';

/** What a contact's identities are made from, with the keys of its row. */
export const IDENTITY_COLUMNS = 'id, amocrm_id, phone, email, phones, emails, deleted_at';

/** The columns a mirror write sets on a row that exists (`source` is set on insert only). */
const MIRROR_COLUMNS = [
  ...['name', 'phone', 'email', 'phones', 'emails', 'responsible_user_id', 'custom_fields'],
  ...['synced_at', 'deleted_at'],
];

/**
 * The rows (`columns` of them) of these amoCRM contacts in plain SQL, hydrated through the entity metadata; `lock`:
 * a locking read in amoCRM id order (only for rows known to exist: on a missing row InnoDB locks the index gap).
 * The unique key is forced: for a long list MariaDB may read every row of the workspace instead, and a locking read
 * would then lock them all.
 */
export async function contactRowsByAmocrmId(
  manager: EntityManager,
  workspaceId: string,
  amocrmIds: readonly number[],
  columns: string,
  lock: boolean,
): Promise<ContactEntity[]> {
  const ids = [...new Set(amocrmIds)];
  if (ids.length === 0) return [];
  const rows = await manager.query<Record<string, unknown>[]>(
    `SELECT ${columns} FROM contacts FORCE INDEX (uq_contacts_workspace_amocrm) WHERE workspace_id = ? AND amocrm_id IN (${ids.map(() => '?').join(', ')})${
      lock ? ' ORDER BY amocrm_id FOR UPDATE' : ''
    }`,
    [workspaceId, ...ids],
  );
  const { metadata } = manager.getRepository(ContactEntity);
  return rows.map((row) => hydrateRow(manager, metadata, ContactEntity.prototype, row));
}

/** One multi-row INSERT … ON DUPLICATE KEY UPDATE of mirror rows by (workspace, amoCRM id); live again if deleted. */
export async function upsertContactRows(
  manager: EntityManager,
  workspaceId: string,
  data: readonly (ContactData & { amocrmId: number })[],
  source: string | null,
): Promise<void> {
  const repo = manager.getRepository(ContactEntity);
  const { sql, parameters } = upsertStatement(
    manager,
    repo.metadata,
    data.map((item) => repo.create({ ...item, workspaceId, source, deletedAt: null })),
    MIRROR_COLUMNS,
  );
  await manager.query(sql, parameters);
}
