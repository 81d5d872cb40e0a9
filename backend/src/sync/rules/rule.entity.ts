import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, jsonText, newId, UpdatedAt } from '../../database/columns';
import type { RuleDocument } from './rule.types';

/**
 * A rule as it stands now (the head of its versions): listed in priority order, read by the console. Deleting a
 * rule removes this row; its versions stay (the last one a tombstone), so events received before the deletion
 * still run with it on replay "as received".
 */
@Entity('rules')
@Index('ix_rules_order', ['workspaceId', 'priority', 'createdAt'])
export class RuleEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Lower runs first. */
  @Column({ type: 'int' })
  priority!: number;

  /** The current version number (rule_versions.version). */
  @Column({ type: 'int' })
  version!: number;

  /** The current document (a copy of the current version's). */
  @Column({ type: 'longtext', transformer: jsonText })
  document!: RuleDocument;

  @Column({ name: 'updated_by', type: 'varchar', length: 255, nullable: true })
  updatedBy!: string | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
