import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, jsonText, newId, UpdatedAt } from '../../database/columns';
import type { LptrackerProjectMetadataSnapshot } from './lptracker-metadata.types';

/** The cached metadata of one LPTracker project of a workspace (lead fields, contact fields, stages, staff). */
@Entity('lptracker_metadata')
@Index('uq_lptracker_metadata_workspace_project', ['workspaceId', 'projectId'], { unique: true })
export class LptrackerMetadataEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'project_id', type: 'bigint', transformer: bigintNumber })
  projectId!: number;

  @Column({ name: 'fetched_at', type: 'datetime', precision: 3 })
  fetchedAt!: Date;

  @Column({ type: 'longtext', transformer: jsonText })
  snapshot!: LptrackerProjectMetadataSnapshot;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
