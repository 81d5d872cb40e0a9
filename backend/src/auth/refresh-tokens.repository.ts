import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectRepository(RefreshTokenEntity) private readonly repo: Repository<RefreshTokenEntity>) {}

  findById(id: string): Promise<RefreshTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async insert(token: RefreshTokenEntity): Promise<void> {
    await this.repo.insert(token);
  }

  /** Marks the token used; false when it was already used or revoked (a second presentation). */
  async markUsed(id: string, at: Date): Promise<boolean> {
    const result = await this.repo.update({ id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: at });
    return (result.affected ?? 0) === 1;
  }

  /**
   * Whether the session is still open (a token not revoked: logout and reuse detection revoke them all) and which
   * workspace a super-admin has opened in it (null: their own). Opening sets it on every token the session has so
   * far; tokens issued later by refreshes carry null, so any token's value is the session's.
   */
  async familyState(familyId: string): Promise<{ open: boolean; actingWorkspaceId: string | null }> {
    const row = await this.repo
      .createQueryBuilder('t')
      .select('MAX(t.revoked_at IS NULL)', 'open')
      .addSelect('MAX(t.acting_workspace_id)', 'acting')
      .where('t.family_id = :familyId', { familyId })
      .getRawOne<{ open: unknown; acting: string | null }>();
    return { open: Number(row?.open ?? 0) === 1, actingWorkspaceId: row?.acting ?? null };
  }

  /** The workspace the session acts in from now on (null: the user's own), on every token of the session. */
  async setActingWorkspace(familyId: string, workspaceId: string | null): Promise<void> {
    await this.repo.update({ familyId }, { actingWorkspaceId: workspaceId });
  }

  /** Whether any token of the session was revoked, i.e. the session was closed (it is never reopened). */
  hasRevokedToken(familyId: string): Promise<boolean> {
    return this.repo.existsBy({ familyId, revokedAt: Not(IsNull()) });
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.repo.update({ familyId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<void> {
    await this.repo.update({ userId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
