import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, jsonText, newId } from '../../database/columns';
import type { RuleDocument } from './rule.types';

/**
 * One version of a rule, never edited: every create, update, enable/disable, reorder, restore and delete writes
 * one, with the workspace settings version that change bumped to. `forRun(settingsVersion)` takes, per rule, the
 * newest version at or below it.
 */
@Entity('rule_versions')
@Index('uq_rule_versions_rule_version', ['ruleId', 'version'], { unique: true })
@Index('ix_rule_versions_settings', ['workspaceId', 'settingsVersion'])
export class RuleVersionEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'rule_id', type: 'char', length: 36 })
  ruleId!: string;

  @Column({ type: 'int' })
  version!: number;

  /** The rule as it was; null on the version that deleted it. */
  @Column({ type: 'longtext', transformer: jsonText, nullable: true })
  document!: RuleDocument | null;

  @Column({ name: 'settings_version', type: 'int' })
  settingsVersion!: number;

  @Column({ type: 'varchar', length: 64 })
  origin!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 255, nullable: true })
  createdBy!: string | null;

  @CreatedAt()
  createdAt!: Date;
}
