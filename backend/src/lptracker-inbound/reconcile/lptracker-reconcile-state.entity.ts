import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText, UpdatedAt } from '../../database/columns';

/** What one LPTracker reconcile pass found. */
export interface LptrackerReconcileCounts {
  /** Leads LPTracker listed as updated since the watermark (all enabled projects). */
  seen: number;
  /** Pages fed to the inbox as `lptracker-reconcile` deliveries (a lead version already fed is not stored again). */
  pages: number;
}

/** The LPTracker reconciliation of one workspace: its watermark and the last pass. */
@Entity('lptracker_reconcile_states')
export class LptrackerReconcileStateEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** Unix seconds: the next pass reads what changed from here (minus an overlap). Advanced on success only. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  watermark!: number | null;

  /** Unix seconds: `filter[updated_at_from]` of the last pass. */
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
  counts!: LptrackerReconcileCounts | null;

  @UpdatedAt()
  updatedAt!: Date;
}
