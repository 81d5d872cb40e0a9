import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, UpdatedAt, jsonText, newId } from '../database/columns';

/**
 * The secret in a workspace's webhook URL for one source. Looked up by its SHA-256; kept sealed (AES-256-GCM
 * with ENCRYPTION_KEY) so the console can show the URL again.
 */
@Entity('inbox_webhook_secrets')
@Index('uq_inbox_webhook_secrets_ws_source', ['workspaceId', 'source'], { unique: true })
@Index('uq_inbox_webhook_secrets_hash', ['secretHash'], { unique: true })
export class WebhookSecretEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 32 })
  source!: string;

  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash!: string;

  @Column({ name: 'secret_sealed', type: 'varchar', length: 255 })
  secretSealed!: string;

  /** The events the admin subscribed this URL to at the source (null: never subscribed through us). */
  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  events!: string[] | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
