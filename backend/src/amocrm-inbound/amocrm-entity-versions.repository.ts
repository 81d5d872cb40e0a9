import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type VersionedEntity = 'contact' | 'lead';

export interface EntityVersion {
  version: number | null;
  contactsCheckedAt: Date | null;
}

/** An entity whose row lock a commit takes, with what its row gets when the change is the entity's first. */
export interface VersionLockRequest {
  entityType: VersionedEntity;
  amocrmId: number;
  version: number | null;
  contactsCheckedAt?: Date | null;
  /** The row was seen when planning (rows are never deleted, so it exists). */
  knownToExist: boolean;
}

export function versionKey(entityType: string, amocrmId: number): string {
  return `${entityType}:${amocrmId}`;
}

interface VersionRow {
  amocrmId: string | number;
  version: string | number | null;
  contactsCheckedAt: Date | null;
}

/** Applied amoCRM versions of contacts and leads: the only place that builds their queries. */
@Injectable()
export class AmocrmEntityVersionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The applied versions of these entities (a plain read: what the worker plans with). */
  async findMany(
    workspaceId: string,
    entityType: VersionedEntity,
    amocrmIds: readonly number[],
  ): Promise<Map<number, EntityVersion>> {
    const found = new Map<number, EntityVersion>();
    const ids = [...new Set(amocrmIds)];
    for (let start = 0; start < ids.length; start += 500) {
      const part = ids.slice(start, start + 500);
      const rows = await this.dataSource.query<VersionRow[]>(
        `SELECT amocrm_id AS amocrmId, version, contacts_checked_at AS contactsCheckedAt
         FROM amocrm_entity_versions
         WHERE workspace_id = ? AND entity_type = ? AND amocrm_id IN (${part.map(() => '?').join(', ')})`,
        [workspaceId, entityType, ...part],
      );
      for (const row of rows) found.set(Number(row.amocrmId), toVersion(row));
    }
    return found;
  }

  /**
   * Takes the row locks of these entities in `manager`'s transaction and reads their rows as committed: changes of
   * one entity are applied one after another. Rows are taken in key order (contacts before leads, by id), so two
   * transactions never wait for each other in a circle. Entities whose row was not seen when planning are made
   * with their `initial` values in one INSERT IGNORE, which locks only the new rows, never a gap (first changes of
   * different entities do not block each other); when every one of them was new, that is all. Otherwise one locking
   * read takes and reads the rows (rows are never deleted, so a row seen once is there), on the primary key (forced:
   * for a long list MariaDB may read, and so lock, every row of the workspace instead).
   */
  async lockMany(
    manager: EntityManager,
    workspaceId: string,
    entries: readonly VersionLockRequest[],
  ): Promise<Map<string, EntityVersion>> {
    const ordered = [...entries].sort(
      (a, b) => compareText(a.entityType, b.entityType) || a.amocrmId - b.amocrmId,
    );
    const found = new Map<string, EntityVersion>();
    if (ordered.length === 0) return found;
    const unknown = ordered.filter((entry) => !entry.knownToExist);
    if (unknown.length > 0) {
      const inserted = await this.insertNew(manager, workspaceId, unknown);
      for (const entry of unknown) {
        found.set(versionKey(entry.entityType, entry.amocrmId), {
          version: entry.version,
          contactsCheckedAt: entry.contactsCheckedAt ?? null,
        });
      }
      if (inserted === ordered.length) return found;
    }
    const rows = await manager.query<(VersionRow & { entityType: string })[]>(
      `SELECT entity_type AS entityType, amocrm_id AS amocrmId, version, contacts_checked_at AS contactsCheckedAt
       FROM amocrm_entity_versions FORCE INDEX (PRIMARY)
       WHERE workspace_id = ? AND (${ordered.map(() => '(entity_type = ? AND amocrm_id = ?)').join(' OR ')})
       ORDER BY entity_type, amocrm_id FOR UPDATE`,
      [workspaceId, ...ordered.flatMap((entry) => [entry.entityType, entry.amocrmId])],
    );
    for (const row of rows) found.set(versionKey(row.entityType, Number(row.amocrmId)), toVersion(row));
    return found;
  }

  /**
   * Makes the version rows of entities new to the mirror, with their `initial` values, in key order (one INSERT
   * IGNORE, locking only the new rows); answers how many were made (rows that exist are left as they are).
   */
  async insertNew(
    manager: EntityManager,
    workspaceId: string,
    entries: readonly VersionLockRequest[],
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const ordered = [...entries].sort(
      (a, b) => compareText(a.entityType, b.entityType) || a.amocrmId - b.amocrmId,
    );
    const inserted = await manager.query<{ affectedRows?: number }>(
      `INSERT IGNORE INTO amocrm_entity_versions (workspace_id, entity_type, amocrm_id, version, contacts_checked_at)
       VALUES ${ordered.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      ordered.flatMap((entry) => [
        workspaceId,
        entry.entityType,
        entry.amocrmId,
        entry.version,
        entry.contactsCheckedAt ?? null,
      ]),
    );
    return Number(inserted.affectedRows ?? 0);
  }

  /** Stores the newest applied version (never lowers it) and when the lead's contacts were read. */
  async record(
    manager: EntityManager,
    workspaceId: string,
    entityType: VersionedEntity,
    amocrmId: number,
    applied: { version: number | null; contactsCheckedAt?: Date | null },
  ): Promise<void> {
    await this.recordMany(manager, workspaceId, [{ entityType, amocrmId, ...applied }]);
  }

  /** `record` for several entities in one statement (in key order). */
  async recordMany(
    manager: EntityManager,
    workspaceId: string,
    entries: readonly {
      entityType: VersionedEntity;
      amocrmId: number;
      version: number | null;
      contactsCheckedAt?: Date | null;
    }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const ordered = [...entries].sort(
      (a, b) => compareText(a.entityType, b.entityType) || a.amocrmId - b.amocrmId,
    );
    await manager.query(
      `INSERT INTO amocrm_entity_versions (workspace_id, entity_type, amocrm_id, version, contacts_checked_at)
       VALUES ${ordered.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE
         version = IF(VALUES(version) IS NULL, version,
           IF(version IS NULL, VALUES(version), GREATEST(version, VALUES(version)))),
         contacts_checked_at = COALESCE(VALUES(contacts_checked_at), contacts_checked_at)`,
      ordered.flatMap((entry) => [
        workspaceId,
        entry.entityType,
        entry.amocrmId,
        entry.version,
        entry.contactsCheckedAt ?? null,
      ]),
    );
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toVersion(row: VersionRow): EntityVersion {
  return {
    version: row.version === null ? null : Number(row.version),
    contactsCheckedAt: row.contactsCheckedAt ? new Date(row.contactsCheckedAt) : null,
  };
}
