import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, jsonText, newId, UpdatedAt } from '../../database/columns';
import type { AmocrmMetadataSnapshot } from './amocrm-metadata.types';

/** The cached account metadata of a workspace's amoCRM account (one row per workspace), with its fetch time. */
@Entity('amocrm_metadata')
export class AmocrmMetadataEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Index('uq_amocrm_metadata_workspace', { unique: true })
  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintNumber })
  accountId!: number;

  @Column({ name: 'fetched_at', type: 'datetime', precision: 3 })
  fetchedAt!: Date;

  /** Account, users, pipelines with statuses, contact and lead custom fields. */
  @Column({ type: 'longtext', transformer: jsonText })
  snapshot!: AmocrmMetadataSnapshot;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
