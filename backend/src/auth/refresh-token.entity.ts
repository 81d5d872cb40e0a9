import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, newId } from '../database/columns';

/**
 * One refresh token of a login session. Tokens of one session share a family; each is used once,
 * and presenting a used one revokes the whole family (theft detection).
 */
@Entity('refresh_tokens')
@Index('idx_refresh_tokens_family', ['familyId'])
@Index('idx_refresh_tokens_user', ['userId'])
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ name: 'family_id', type: 'char', length: 36 })
  familyId!: string;

  /** SHA-256 of the secret part, hex. */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_ip', type: 'varchar', length: 64, nullable: true })
  createdIp!: string | null;

  /**
   * The workspace a super-admin has opened in this session (null: their own), set on every token of the family
   * when they open one; the session's choice is the value any of its tokens holds (see `familyState`).
   */
  @Column({ name: 'acting_workspace_id', type: 'char', length: 36, nullable: true })
  actingWorkspaceId!: string | null;

  @CreatedAt()
  createdAt!: Date;
}
