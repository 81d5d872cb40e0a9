import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, newId } from '../../database/columns';
import type { CallDirection, CallResult, CallSource } from './call-result.types';

/**
 * One finished phone call of a workspace, linked to the mirror contact (by phone) and lead (by the LPTracker
 * lead's link, else the contact's newest open lead) when known. Unique per (workspace, source, source id) when
 * the source names the call, else per (workspace, natural key): a hash of phone, start and operator.
 */
@Entity('call_results')
@Index('uq_call_results_source', ['workspaceId', 'source', 'sourceId'], { unique: true })
@Index('uq_call_results_natural', ['workspaceId', 'naturalKey'], { unique: true })
@Index('ix_call_results_started', ['workspaceId', 'startedAt'])
@Index('ix_call_results_phone', ['workspaceId', 'phone', 'startedAt'])
@Index('ix_call_results_contact', ['workspaceId', 'contactId', 'startedAt'])
export class CallResultEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** E.164; null only for a source call whose lead has no phone. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  /** The mirror contact (`contacts.id`) and its amoCRM id. */
  @Column({ name: 'contact_id', type: 'char', length: 36, nullable: true })
  contactId!: string | null;

  @Column({ name: 'amocrm_contact_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  amocrmContactId!: number | null;

  /** The mirror lead (`leads.id`) and its amoCRM id. */
  @Column({ name: 'lead_id', type: 'char', length: 36, nullable: true })
  leadId!: string | null;

  @Column({ name: 'amocrm_lead_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  amocrmLeadId!: number | null;

  @Column({ name: 'lptracker_lead_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  lptrackerLeadId!: number | null;

  @Column({ name: 'started_at', type: 'datetime', precision: 3 })
  startedAt!: Date;

  @Column({ name: 'duration_seconds', type: 'int' })
  durationSeconds!: number;

  @Column({ type: 'varchar', length: 8 })
  direction!: CallDirection;

  @Column({ type: 'varchar', length: 16 })
  result!: CallResult;

  @Column({ name: 'recording_url', type: 'varchar', length: 1024, nullable: true })
  recordingUrl!: string | null;

  /** The operator's name or id as the source gave it. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  operator!: string | null;

  @Column({ type: 'varchar', length: 16 })
  source!: CallSource;

  @Column({ name: 'source_id', type: 'varchar', length: 128, nullable: true })
  sourceId!: string | null;

  /** sha256 of phone, start (ms) and operator when there is no source id, else null. */
  @Column({ name: 'natural_key', type: 'char', length: 64, nullable: true })
  naturalKey!: string | null;

  /** What recorded it (the inbox event of an LPTracker delivery): a retry of it treats its rows as its own. */
  @Column({ name: 'origin_ref', type: 'varchar', length: 64, nullable: true })
  originRef!: string | null;

  @CreatedAt()
  createdAt!: Date;
}
