import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAt } from '../database/columns';

/**
 * A counter per workspace that the mappings and rules modules bump on every change; each inbox event records
 * the value current at receipt, so a replay can apply the settings "as received" or the current ones.
 */
@Entity('workspace_settings_versions')
export class WorkspaceSettingsVersionEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'int', default: 0 })
  version!: number;

  @UpdatedAt()
  updatedAt!: Date;
}
