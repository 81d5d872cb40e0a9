import { Column, Entity } from 'typeorm';
import { jsonText } from '../database/columns';
import { ReconcileStateColumns } from '../database/reconcile-state';

/** What one pass over one entity type found. */
export interface ReconcileCounts {
  /** Entities amoCRM listed as changed since the watermark. */
  seen: number;
  /** Fed to the inbox as `reconcile` events (the mirror did not have that version). */
  queued: number;
  /** Already in the mirror at that version (a webhook brought it). */
  upToDate: number;
}

/** The amoCRM reconciliation of one workspace: its watermark, the last pass (`filter[updated_at][from]`) and its counts. */
@Entity('amocrm_reconcile_states')
export class AmocrmReconcileStateEntity extends ReconcileStateColumns {
  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  contacts!: ReconcileCounts | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  leads!: ReconcileCounts | null;
}
