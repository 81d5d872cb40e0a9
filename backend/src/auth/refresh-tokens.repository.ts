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

  /** Whether the session (family) still has a token not revoked: logout and reuse detection revoke them all. */
  isFamilyOpen(familyId: string): Promise<boolean> {
    return this.repo.existsBy({ familyId, revokedAt: IsNull() });
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
