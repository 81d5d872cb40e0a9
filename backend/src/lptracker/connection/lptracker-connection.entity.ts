import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, newId, UpdatedAt } from '../../database/columns';

/** `not_connected`: disconnected (secrets wiped); `needs_reauth`: LPTracker refused the stored password. */
export type LptrackerConnectionStatus = 'not_connected' | 'connected' | 'needs_reauth';

/**
 * The LPTracker login a workspace is connected with (one per workspace), its password and current token sealed by
 * SecretBox: those columns never hold a secret in clear. `token_version` grows with every stored token, so a
 * process can tell whether another one has logged in again meanwhile.
 */
@Entity('lptracker_connections')
export class LptrackerConnectionEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Index('uq_lptracker_connections_workspace', { unique: true })
  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 255 })
  login!: string;

  /** Sealed; null once disconnected. */
  @Column({ type: 'text', nullable: true })
  password!: string | null;

  /** Sealed; null until the first login and once disconnected. */
  @Column({ type: 'text', nullable: true })
  token!: string | null;

  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  @Column({ name: 'token_issued_at', type: 'datetime', precision: 3, nullable: true })
  tokenIssuedAt!: Date | null;

  @Column({ type: 'varchar', length: 20, default: 'not_connected' })
  status!: LptrackerConnectionStatus;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  /** The last time LPTracker answered a check, a metadata refresh or a login of this connection. */
  @Column({ name: 'last_ok_at', type: 'datetime', precision: 3, nullable: true })
  lastOkAt!: Date | null;

  @Column({ name: 'connected_at', type: 'datetime', precision: 3, nullable: true })
  connectedAt!: Date | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
