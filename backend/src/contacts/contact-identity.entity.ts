import { Entity, PrimaryColumn } from 'typeorm';

export type ContactIdentityKind = 'phone' | 'email';

/**
 * One phone (E.164) or e-mail (lower-case) of a live mirrored contact: every one of them, not only the main one,
 * so lookups by any phone or e-mail are one indexed query. The rows are a function of the contact's row
 * (`phone`, `phones`, `email`, `emails`; none while it is deleted), written by the contacts repository in the same
 * transaction as the row. The primary key (workspace, kind, value, contact) is the lookup index.
 */
@Entity('contact_identities')
export class ContactIdentityEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  kind!: ContactIdentityKind;

  @PrimaryColumn({ type: 'varchar', length: 254 })
  value!: string;

  @PrimaryColumn({ name: 'contact_id', type: 'char', length: 36 })
  contactId!: string;
}
