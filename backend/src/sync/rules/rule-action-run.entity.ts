import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt } from '../../database/columns';

/**
 * One rule action done for one change of an inbox event: written right after the action succeeded (or, for
 * `call_back`, right before its request is sent), so a retry of the event skips the actions already done and never
 * places the same phone call twice. Keyed by the event, the change (its inbox key), the rule, its version and the
 * action's index.
 */
@Entity('rule_action_runs')
/** The rules list's last fired / matches in 24 h: a rule's first actions by time. */
@Index('ix_rule_action_runs_rule', ['workspaceId', 'ruleId', 'actionIndex', 'createdAt'])
export class RuleActionRunEntity {
  @PrimaryColumn({ name: 'event_id', type: 'char', length: 36 })
  eventId!: string;

  /** The inbox key of the change (one event may carry several). */
  @PrimaryColumn({ name: 'change_key', type: 'varchar', length: 191 })
  changeKey!: string;

  @PrimaryColumn({ name: 'rule_id', type: 'char', length: 36 })
  ruleId!: string;

  @PrimaryColumn({ name: 'rule_version', type: 'int' })
  ruleVersion!: number;

  @PrimaryColumn({ name: 'action_index', type: 'int' })
  actionIndex!: number;

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** `done`; `sent`: a call_back whose request went out and whose answer is not (yet) known. */
  @Column({ type: 'varchar', length: 16 })
  state!: 'done' | 'sent';

  /** What the action answered (ids written, the system's answer), as JSON text. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  @CreatedAt()
  createdAt!: Date;
}
