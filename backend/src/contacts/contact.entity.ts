import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, jsonText, newId, UpdatedAt } from '../database/columns';

/** One custom field value set as amoCRM keeps it: `{field_id, field_code?, values:[{value, enum_id?, enum_code?}]}`. */
export interface CustomFieldValues {
  fieldId: number;
  fieldCode?: string | null;
  fieldName?: string | null;
  values: { value: string | number | boolean | null; enumId?: number | null; enumCode?: string | null }[];
}

/** The local mirror of an amoCRM contact; amoCRM is the system of record. */
@Entity('contacts')
@Index('uq_contacts_workspace_amocrm', ['workspaceId', 'amocrmId'], { unique: true })
@Index('idx_contacts_workspace_phone', ['workspaceId', 'phone'])
@Index('idx_contacts_workspace_email', ['workspaceId', 'email'])
@Index('idx_contacts_workspace_name', ['workspaceId', 'name'])
@Index('idx_contacts_workspace_created', ['workspaceId', 'createdAt'])
export class ContactEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'amocrm_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  amocrmId!: number | null;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** The main phone in E.164, e.g. +79161234567. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  /** The main e-mail, lower-case. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** Every phone of the contact in E.164 (amoCRM allows several). */
  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  phones!: string[] | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  emails!: string[] | null;

  @Column({ name: 'responsible_user_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  responsibleUserId!: number | null;

  /** Custom fields other than the phones and e-mails (those are in `phones` / `emails`). */
  @Column({ name: 'custom_fields', type: 'longtext', nullable: true, transformer: jsonText })
  customFields!: CustomFieldValues[] | null;

  /**
   * Where the row came from: `api` (created in amoCRM through our API), `amocrm` (an amoCRM contact mirrored
   * when it was found). Set on insert only.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;

  /** When the row last matched amoCRM. */
  @Column({ name: 'synced_at', type: 'datetime', precision: 3, nullable: true })
  syncedAt!: Date | null;

  /** Deleted in amoCRM (the row is kept so links and history stay readable). */
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt!: Date | null;
}
