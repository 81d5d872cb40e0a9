import { Column, Entity } from 'typeorm';
import { jsonText } from '../../database/columns';
import { ReconcileStateColumns } from '../../database/reconcile-state';

/** What one LPTracker reconcile pass found. */
export interface LptrackerReconcileCounts {
  /** Leads LPTracker listed as updated since the watermark (all enabled projects). */
  seen: number;
  /** Pages fed to the inbox as `lptracker-reconcile` deliveries (a lead version already fed is not stored again). */
  pages: number;
}

/** The LPTracker reconciliation of one workspace: its watermark, the last pass (`filter[updated_at_from]`) and its counts. */
@Entity('lptracker_reconcile_states')
export class LptrackerReconcileStateEntity extends ReconcileStateColumns {
  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  counts!: LptrackerReconcileCounts | null;
}
