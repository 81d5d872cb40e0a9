import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ContactEntity, type CustomFieldValues } from '../contacts/contact.entity';
import { bigintNumber, CreatedAt, jsonText, newId, UpdatedAt } from '../database/columns';

/** The local mirror of an amoCRM lead (deal). */
@Entity('leads')
@Index('uq_leads_workspace_amocrm', ['workspaceId', 'amocrmId'], { unique: true })
@Index('idx_leads_workspace_name', ['workspaceId', 'name'])
@Index('idx_leads_workspace_status', ['workspaceId', 'statusId'])
@Index('idx_leads_workspace_pipeline', ['workspaceId', 'pipelineId'])
@Index('idx_leads_workspace_contact', ['workspaceId', 'contactId'])
@Index('idx_leads_workspace_created', ['workspaceId', 'createdAt'])
@Index('idx_leads_workspace_price', ['workspaceId', 'price'])
export class LeadEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'amocrm_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  amocrmId!: number | null;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'status_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  statusId!: number | null;

  /** Name of the stage, as in amoCRM's metadata when the lead was last synced. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  status!: string | null;

  @Column({ name: 'pipeline_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  pipelineId!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  price!: number | null;

  @Column({ name: 'contact_id', type: 'char', length: 36, nullable: true })
  contactId!: string | null;

  @ManyToOne(() => ContactEntity, { onDelete: 'SET NULL', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'fk_leads_contact' })
  contact?: Relation<ContactEntity> | null;

  @Column({ name: 'responsible_user_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  responsibleUserId!: number | null;

  @Column({ name: 'custom_fields', type: 'longtext', nullable: true, transformer: jsonText })
  customFields!: CustomFieldValues[] | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  tags!: string[] | null;

  /** Where the lead came from, e.g. `api`, `amocrm`, `lptracker:<id>`, `import:<id>`. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;

  @Column({ name: 'synced_at', type: 'datetime', precision: 3, nullable: true })
  syncedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt!: Date | null;
}
