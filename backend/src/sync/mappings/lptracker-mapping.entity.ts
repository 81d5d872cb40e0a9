import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, jsonText, newId } from '../../database/columns';
import type { MappingDirection, MappingDocument } from './mapping.types';

/**
 * One saved version of a field mapping (workspace, LPTracker project, direction). Append-only: a save or a restore
 * adds the next version; the current mapping is the highest version. `settings_version` is the workspace settings
 * version the save bumped to, so an event received at settings version N runs with the newest version ≤ N.
 */
@Entity('lptracker_mappings')
@Index('uq_lptracker_mappings_version', ['workspaceId', 'projectId', 'direction', 'version'], {
  unique: true,
})
@Index('ix_lptracker_mappings_settings', ['workspaceId', 'projectId', 'direction', 'settingsVersion'])
export class LptrackerMappingEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** LPTracker project id. */
  @Column({ name: 'project_id', type: 'bigint', transformer: bigintNumber })
  projectId!: number;

  @Column({ type: 'varchar', length: 32 })
  direction!: MappingDirection;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'longtext', transformer: jsonText })
  document!: MappingDocument;

  @Column({ name: 'settings_version', type: 'int' })
  settingsVersion!: number;

  /** `default`, `save` or `restore:<n>`. */
  @Column({ type: 'varchar', length: 32 })
  origin!: string;

  /** The principal's label (e-mail or API key name); null for versions the service made itself. */
  @Column({ name: 'created_by', type: 'varchar', length: 255, nullable: true })
  createdBy!: string | null;

  @CreatedAt()
  createdAt!: Date;
}
