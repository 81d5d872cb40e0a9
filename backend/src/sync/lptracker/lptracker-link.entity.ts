import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, jsonText, newId, UpdatedAt } from '../../database/columns';
import type { JsonObject } from '../../database/columns';

/**
 * One LPTracker lead and the amoCRM lead made for it (and their contacts): the sync's memory of "this is the same
 * deal". Unique per workspace on both sides, so two deliveries of one new LPTracker lead, even in two workers at
 * once, make one amoCRM lead (the second finds this row under the lead's lock).
 */
@Entity('lptracker_links')
@Index('uq_lptracker_links_lp_lead', ['workspaceId', 'lptrackerLeadId'], { unique: true })
@Index('uq_lptracker_links_amo_lead', ['workspaceId', 'amocrmLeadId'], { unique: true })
@Index('ix_lptracker_links_project', ['workspaceId', 'projectId', 'updatedAt'])
@Index('ix_lptracker_links_created', ['workspaceId', 'createdAt'])
@Index('ix_lptracker_links_synced', ['workspaceId', 'lastSyncedAt'])
// the links list's phone filter: the contacts having the phone (contact_identities), then their links
@Index('ix_lptracker_links_contact', ['workspaceId', 'contactId'])
export class LptrackerLinkEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** LPTracker project of the lead. */
  @Column({ name: 'project_id', type: 'bigint', transformer: bigintNumber })
  projectId!: number;

  @Column({ name: 'lptracker_lead_id', type: 'bigint', transformer: bigintNumber })
  lptrackerLeadId!: number;

  @Column({ name: 'lptracker_contact_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  lptrackerContactId!: number | null;

  @Column({ name: 'amocrm_lead_id', type: 'bigint', transformer: bigintNumber })
  amocrmLeadId!: number;

  @Column({ name: 'amocrm_contact_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  amocrmContactId!: number | null;

  /** The mirror rows (ids of `leads` / `contacts`), when mirrored. */
  @Column({ name: 'lead_id', type: 'char', length: 36, nullable: true })
  leadId!: string | null;

  @Column({ name: 'contact_id', type: 'char', length: 36, nullable: true })
  contactId!: string | null;

  /** The LPTracker stage last seen or written. */
  @Column({ name: 'lptracker_stage_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  lptrackerStageId!: number | null;

  /** The amoCRM pipeline/status last seen or written. */
  @Column({ name: 'amocrm_pipeline_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  amocrmPipelineId!: number | null;

  @Column({ name: 'amocrm_status_id', type: 'bigint', transformer: bigintNumber, nullable: true })
  amocrmStatusId!: number | null;

  /** `lead` or `unsorted` (created as an incoming lead; the link stays when a manager accepts it). */
  @Column({ name: 'created_as', type: 'varchar', length: 16, default: 'lead' })
  createdAs!: string;

  /** The LPTracker values of mapped source fields as last seen (FieldRef → value): updates without `action_update_fields` write only what differs. */
  @Column({ name: 'last_seen', type: 'longtext', transformer: jsonText, nullable: true })
  lastSeen!: JsonObject | null;

  /** `lptracker_to_amocrm` or `amocrm_to_lptracker`: the direction of the last write. */
  @Column({ name: 'last_direction', type: 'varchar', length: 32, nullable: true })
  lastDirection!: string | null;

  @Column({ name: 'last_synced_at', type: 'datetime', precision: 3, nullable: true })
  lastSyncedAt!: Date | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
