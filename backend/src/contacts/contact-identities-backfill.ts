import { identitiesOf, type IdentityFields } from './contact-identities.repository';

/** What the backfill needs of a connection: plain queries (a migration's QueryRunner, a DataSource). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface ContactRow {
  id: string;
  workspace_id: string;
  phone: string | null;
  email: string | null;
  phones: string | null;
  emails: string | null;
  deleted_at: Date | string | null;
}

/** Identity rows per INSERT: 4 values each, well inside a statement's limits. */
const ROWS_PER_INSERT = 1000;

/**
 * Fills `contact_identities` for the contacts already mirrored, `batchSize` contacts at a time in primary-key order
 * (each batch a plain, non-locking read of one id range, then INSERT IGNOREs in autocommit): the contacts table is
 * never locked, writers go on while it runs, and running it again adds only what is missing. Answers the number of
 * contacts read.
 */
export async function backfillContactIdentities(runner: SqlRunner, batchSize = 5000): Promise<number> {
  let after = '';
  let read = 0;
  for (;;) {
    const rows = (await runner.query(
      'SELECT id, workspace_id, phone, email, phones, emails, deleted_at FROM contacts WHERE id > ? ORDER BY id LIMIT ?',
      [after, batchSize],
    )) as ContactRow[];
    if (rows.length === 0) return read;
    read += rows.length;
    after = rows[rows.length - 1].id;
    const identities = rows.flatMap((row) =>
      identitiesOf(fieldsOf(row)).map((identity) => [
        row.workspace_id,
        identity.kind,
        identity.value,
        row.id,
      ]),
    );
    for (let start = 0; start < identities.length; start += ROWS_PER_INSERT) {
      const chunk = identities.slice(start, start + ROWS_PER_INSERT);
      await runner.query(
        `INSERT IGNORE INTO contact_identities (workspace_id, kind, value, contact_id) VALUES ${chunk
          .map(() => '(?, ?, ?, ?)')
          .join(', ')}`,
        chunk.flat(),
      );
    }
    if (rows.length < batchSize) return read;
  }
}

function fieldsOf(row: ContactRow): IdentityFields {
  return {
    phone: row.phone,
    email: row.email,
    phones: listOf(row.phones),
    emails: listOf(row.emails),
    deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
  };
}

/** A JSON list of strings as stored in a longtext column; anything else counts as empty. */
function listOf(text: string | null): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
