import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, jsonText, newId } from '../database/columns';

/** Who did what, when and from where. Platform actions (workspace creation) have no workspace. */
@Entity('audit_log')
@Index('idx_audit_workspace_time', ['workspaceId', 'createdAt'])
@Index('idx_audit_workspace_action', ['workspaceId', 'action', 'createdAt'])
@Index('idx_audit_workspace_actor', ['workspaceId', 'actorLabel'])
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36, nullable: true })
  workspaceId!: string | null;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: 'user' | 'api_key' | 'system' | 'anonymous';

  @Column({ name: 'actor_id', type: 'char', length: 36, nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 254, nullable: true })
  actorLabel!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  details!: AuditDetails | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @CreatedAt()
  createdAt!: Date;
}

/** Flat details of an audit entry; never secrets. */
export type AuditDetails = Record<string, string | number | boolean | null | undefined | string[]>;
