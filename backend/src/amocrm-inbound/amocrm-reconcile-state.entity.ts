import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText, UpdatedAt } from '../database/columns';

/** What one pass over one entity type found. */
export interface ReconcileCounts {
  /** Entities amoCRM listed as changed since the watermark. */
  seen: number;
  /** Fed to the inbox as `reconcile` events (the mirror did not have that version). */
  queued: number;
  /** Already in the mirror at that version (a webhook brought it). */
  upToDate: number;
}

/** The reconciliation of one workspace: its watermark and the last pass. */
@Entity('amocrm_reconcile_states')
export class AmocrmReconcileStateEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** Unix seconds: the next pass reads what changed from here (minus a small overlap). Advanced on success only. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  watermark!: number | null;

  /** Unix seconds: `filter[updated_at][from]` of the last pass. */
  @Column({ name: 'last_since', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSince!: number | null;

  @Column({ name: 'run_started_at', type: 'datetime', precision: 3, nullable: true })
  runStartedAt!: Date | null;

  @Column({ name: 'run_finished_at', type: 'datetime', precision: 3, nullable: true })
  runFinishedAt!: Date | null;

  @Column({ name: 'last_success_at', type: 'datetime', precision: 3, nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  contacts!: ReconcileCounts | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  leads!: ReconcileCounts | null;

  @UpdatedAt()
  updatedAt!: Date;
}
