import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, newId } from '../database/columns';

/** A delivery refused after its secret matched (e.g. from another amoCRM account): kept for the admin, not processed. */
@Entity('inbox_rejections')
@Index('idx_inbox_rejections_ws_time', ['workspaceId', 'createdAt'])
export class InboxRejectionEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 32 })
  source!: string;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ type: 'varchar', length: 500 })
  detail!: string;

  @Column({ name: 'remote_ip', type: 'varchar', length: 64, nullable: true })
  remoteIp!: string | null;

  @CreatedAt()
  createdAt!: Date;
}
