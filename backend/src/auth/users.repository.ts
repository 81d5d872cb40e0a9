import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Role } from './principal';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ email });
  }

  listInWorkspace(workspaceId: string): Promise<UserEntity[]> {
    return this.repo.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  countByWorkspace(): Promise<{ workspaceId: string; users: number }[]> {
    return this.repo
      .createQueryBuilder('u')
      .select('u.workspace_id', 'workspaceId')
      .addSelect('COUNT(*)', 'users')
      .groupBy('u.workspace_id')
      .getRawMany<{ workspaceId: string; users: string }>()
      .then((rows) => rows.map((row) => ({ workspaceId: row.workspaceId, users: Number(row.users) })));
  }

  countActiveAdmins(workspaceId: string): Promise<number> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.workspace_id = :workspaceId AND u.role = :role AND u.disabled_at IS NULL', {
        workspaceId,
        role: 'admin' satisfies Role,
      })
      .getCount();
  }

  countSuperAdmins(): Promise<number> {
    return this.repo.countBy({ isSuperAdmin: true });
  }

  async insert(user: UserEntity): Promise<UserEntity> {
    await this.repo.insert(user);
    return user;
  }

  async update(
    id: string,
    changes: Partial<Pick<UserEntity, 'role' | 'disabledAt' | 'passwordHash' | 'lastLoginAt'>>,
  ): Promise<void> {
    await this.repo.update({ id }, changes);
  }

  /** The user's current session version, or null when the user does not exist. */
  async findSessionVersion(id: string): Promise<number | null> {
    const row = await this.repo.findOne({ where: { id }, select: { id: true, sessionVersion: true } });
    return row?.sessionVersion ?? null;
  }

  /** Invalidates every access token issued to the user so far (they carry the old version). */
  async bumpSessionVersion(id: string): Promise<void> {
    await this.repo.increment({ id }, 'sessionVersion', 1);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
