import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt } from '../database/columns';

/**
 * Ownership of an idempotency key: the first event to claim a change processes it. The key is stored as a
 * SHA-256 of (workspace, source, key), so a claim is one primary-key probe whatever the key's length. The
 * entity id makes `search=<entity id>` an index lookup on millions of events.
 */
@Entity('inbox_keys')
@Index('idx_inbox_keys_event', ['eventId'])
@Index('idx_inbox_keys_entity', ['workspaceId', 'entityId'])
export class InboxKeyEntity {
  @PrimaryColumn({ name: 'key_hash', type: 'char', length: 64 })
  keyHash!: string;

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'event_id', type: 'char', length: 36 })
  eventId!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId!: string;

  @CreatedAt()
  createdAt!: Date;
}
