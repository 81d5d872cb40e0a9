import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, UpdatedAt } from '../database/columns';

/**
 * The newest amoCRM version (`updated_at`, unix seconds) of each contact and lead the mirror has applied, from a
 * webhook or reconciliation. It orders changes (an older version arriving late does not overwrite a newer one),
 * lets reconciliation pass over versions a webhook already brought, and its row is the lock that serialises the
 * changes of one entity across workers. Keyed by the entity itself (a technical table, like `inbox_keys`).
 */
@Entity('amocrm_entity_versions')
export class AmocrmEntityVersionEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** `contact` or `lead`. */
  @PrimaryColumn({ name: 'entity_type', type: 'varchar', length: 16 })
  entityType!: string;

  @PrimaryColumn({ name: 'amocrm_id', type: 'bigint', transformer: bigintNumber })
  amocrmId!: number;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  version!: number | null;

  /** Leads: when their contacts were last read from the API (a lead without a contact is not read again soon). */
  @Column({ name: 'contacts_checked_at', type: 'datetime', precision: 3, nullable: true })
  contactsCheckedAt!: Date | null;

  @UpdatedAt()
  updatedAt!: Date;
}
