import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAt, UpdatedAt, newId } from '../database/columns';

/** A team's isolated space: every business object belongs to exactly one workspace. */
@Entity('workspaces')
export class WorkspaceEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  /**
   * Turned off by the super-admin: its users, sessions and API keys are refused (403 workspace-disabled) until it
   * is turned on again; its webhooks are still accepted into the inbox, so nothing sent meanwhile is lost.
   */
  @Column({ name: 'disabled_at', type: 'datetime', precision: 3, nullable: true })
  disabledAt!: Date | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
