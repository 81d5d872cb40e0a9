import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, jsonText, newId, UpdatedAt } from '../database/columns';
import type { AlertConditionSettings, AlertConditionId } from './alert-conditions';

export type AlertState = 'active' | 'resolved';
/** What happened to a Telegram message of the alert: `pending` while it is tried again, `off` when Telegram is not set up. */
export type AlertDelivery = 'sent' | 'pending' | 'failed' | 'off';

/**
 * One raise of a condition for a subject (an account, a mapping…): `active` while the condition holds, then
 * `resolved`. `active_key` is `condition:subject` while active and null after, so the unique index allows one
 * active alert per (workspace, condition, subject) across processes.
 */
@Entity('alerts')
@Index('ix_alerts_workspace_raised', ['workspaceId', 'raisedAt'])
@Index('uq_alerts_active', ['workspaceId', 'activeKey'], { unique: true })
export class AlertEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 32 })
  condition!: AlertConditionId;

  @Column({ type: 'varchar', length: 128 })
  subject!: string;

  @Column({ name: 'active_key', type: 'varchar', length: 191, nullable: true })
  activeKey!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: AlertState;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'varchar', length: 1000 })
  detail!: string;

  /** Console path of the page where it is fixed, e.g. `/connections`. */
  @Column({ type: 'varchar', length: 255 })
  link!: string;

  @Column({ name: 'raised_at', type: 'datetime', precision: 3 })
  raisedAt!: Date;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'telegram_raised', type: 'varchar', length: 8 })
  telegramRaised!: AlertDelivery;

  @Column({ name: 'telegram_resolved', type: 'varchar', length: 8, nullable: true })
  telegramResolved!: AlertDelivery | null;

  @CreatedAt()
  createdAt!: Date;
}

/**
 * A user's read mark on an alert: each person of the workspace has a bell of their own (what one reads stays
 * unread for the others). API keys have no bell and make no marks.
 */
@Entity('alert_reads')
@Index('ix_alert_reads_user', ['workspaceId', 'userId'])
export class AlertReadEntity {
  @PrimaryColumn({ name: 'alert_id', type: 'char', length: 36 })
  alertId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ name: 'read_at', type: 'datetime', precision: 3 })
  readAt!: Date;
}

/** A workspace's alert settings: which conditions are on, their thresholds, and its Telegram bot and chat. */
@Entity('alert_settings')
export class AlertSettingsEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'longtext', transformer: jsonText })
  conditions!: Partial<AlertConditionSettings>;

  /** Sealed with SecretBox (context `alert_settings.telegram_token:<workspace>`); never returned. */
  @Column({ name: 'telegram_token', type: 'text', nullable: true })
  telegramToken!: string | null;

  @Column({ name: 'telegram_chat_id', type: 'varchar', length: 64, nullable: true })
  telegramChatId!: string | null;

  @UpdatedAt()
  updatedAt!: Date;
}
