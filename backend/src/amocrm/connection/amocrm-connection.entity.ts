import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, CreatedAt, newId, UpdatedAt } from '../../database/columns';
import type { AmocrmPauseReason } from '../amocrm.problems';

export type AmocrmAuthKind = 'oauth' | 'long_lived';
/** `not_connected`: saved but no usable tokens (OAuth not finished, or disconnected). */
export type AmocrmConnectionStatus = 'not_connected' | 'connected' | 'needs_reauth' | 'paused';
/** Who made the connection: an admin in the console, AMO_* environment variables, or the demo mode. */
export type AmocrmConnectionSource = 'manual' | 'env' | 'demo';

/**
 * The amoCRM account a workspace is connected to (one per workspace), with its credentials sealed by
 * SecretBox: the token columns never hold a token in clear. `token_version` grows with every stored pair,
 * so a process can tell whether another one has refreshed meanwhile.
 */
@Entity('amocrm_connections')
export class AmocrmConnectionEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Index('uq_amocrm_connections_workspace', { unique: true })
  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 63 })
  subdomain!: string;

  /** The account's API base, fixed at connect time: `https://mycompany.amocrm.ru` or a sandbox URL. */
  @Column({ name: 'base_url', type: 'varchar', length: 255 })
  baseUrl!: string;

  @Column({ name: 'auth_kind', type: 'varchar', length: 16 })
  authKind!: AmocrmAuthKind;

  @Column({ type: 'varchar', length: 16, default: 'manual' })
  source!: AmocrmConnectionSource;

  @Column({ name: 'client_id', type: 'varchar', length: 128, nullable: true })
  clientId!: string | null;

  /** Sealed. */
  @Column({ name: 'client_secret', type: 'text', nullable: true })
  clientSecret!: string | null;

  @Column({ name: 'redirect_uri', type: 'varchar', length: 512, nullable: true })
  redirectUri!: string | null;

  /** Sealed. */
  @Column({ name: 'access_token', type: 'text', nullable: true })
  accessToken!: string | null;

  /** Sealed; null for long-lived tokens. */
  @Column({ name: 'refresh_token', type: 'text', nullable: true })
  refreshToken!: string | null;

  @Column({ name: 'token_expires_at', type: 'datetime', precision: 3, nullable: true })
  tokenExpiresAt!: Date | null;

  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  /** When the current pair was stored (connect, code exchange or refresh). */
  @Column({ name: 'tokens_refreshed_at', type: 'datetime', precision: 3, nullable: true })
  tokensRefreshedAt!: Date | null;

  @Column({ name: 'account_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  accountId!: number | null;

  @Column({ name: 'account_name', type: 'varchar', length: 255, nullable: true })
  accountName!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'not_connected' })
  status!: AmocrmConnectionStatus;

  @Column({ name: 'paused_reason', type: 'varchar', length: 32, nullable: true })
  pausedReason!: AmocrmPauseReason | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ name: 'connected_at', type: 'datetime', precision: 3, nullable: true })
  connectedAt!: Date | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
