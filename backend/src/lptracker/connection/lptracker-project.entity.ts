import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, newId, UpdatedAt } from '../../database/columns';

/**
 * An LPTracker project (one site or brand) a workspace has enabled at some point. Disabling keeps the row (and
 * everything recorded about the project), so enabling it again picks up where it was.
 */
@Entity('lptracker_projects')
@Index('uq_lptracker_projects_workspace_project', ['workspaceId', 'projectId'], { unique: true })
export class LptrackerProjectEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** LPTracker's project id. */
  @Column({ name: 'project_id', type: 'bigint', transformer: bigintNumber })
  projectId!: number;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'boolean', default: false })
  enabled!: boolean;

  @Column({ name: 'enabled_at', type: 'datetime', precision: 3, nullable: true })
  enabledAt!: Date | null;

  @Column({ name: 'disabled_at', type: 'datetime', precision: 3, nullable: true })
  disabledAt!: Date | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
