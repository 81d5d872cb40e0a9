import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../database/columns';
import type { SheetCell } from '../parsing/header-row';

export const ROW_STATUSES = ['pending', 'created', 'updated', 'skipped', 'failed'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/**
 * One data row of an import and what became of it. Staged (status `pending`, the original cells) when the file is
 * read, then given its outcome in batches, each batch in one transaction: a worker that dies mid-import resumes
 * at the first row still pending, and a row with an outcome is never sent again.
 */
@Entity('import_rows')
@Index('idx_import_rows_status', ['importId', 'status', 'rowNumber'])
export class ImportRowEntity {
  @PrimaryColumn({ name: 'import_id', type: 'char', length: 36 })
  importId!: string;

  /** The row's number in the sheet as a spreadsheet shows it (1-based). */
  @PrimaryColumn({ name: 'row_number', type: 'int' })
  rowNumber!: number;

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RowStatus;

  /** The row's cells as read, in column order (for the report). */
  @Column({ type: 'longtext', transformer: jsonText })
  cells!: SheetCell[];

  /** An earlier row of the same file with the same phone or e-mail (that row is imported, this one skipped). */
  @Column({ name: 'duplicate_of', type: 'int', nullable: true })
  duplicateOf!: number | null;

  @Column({ name: 'amocrm_contact_id', type: 'bigint', nullable: true })
  amocrmContactId!: string | null;

  @Column({ name: 'amocrm_lead_id', type: 'bigint', nullable: true })
  amocrmLeadId!: string | null;

  /** The LPTracker lead the row was found or created as (target lptracker). */
  @Column({ name: 'lptracker_lead_id', type: 'bigint', nullable: true })
  lptrackerLeadId!: string | null;

  /** Why the row failed or was skipped, in Russian (shown in the report). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  message!: string | null;
}

/** The run of an import: when it started and ended, how many rows the file has, whether staging finished. */
@Entity('import_runs')
export class ImportRunEntity {
  @PrimaryColumn({ name: 'import_id', type: 'char', length: 36 })
  importId!: string;

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'started_at', type: 'datetime', precision: 3 })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt!: Date | null;

  /** Rows staged; final once `staged` is true. */
  @Column({ name: 'total_rows', type: 'int', default: 0 })
  totalRows!: number;

  @Column({ type: 'boolean', default: false })
  staged!: boolean;

  /** Why the whole import failed (file unreadable), in Russian. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;
}
