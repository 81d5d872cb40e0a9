import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ConflictProblem, NotFoundProblem, ProblemException } from '../http/problem';
import { ForbiddenProblem } from './auth.problems';
import { PasswordService } from './password.service';
import { PrincipalCacheService, userCacheKey } from './principal-cache.service';
import { roleAtLeast, type Actor, type Principal, type Role } from './principal';
import { TokensService } from './tokens.service';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

export interface UserChanges {
  role?: Role;
  disabled?: boolean;
  password?: string;
}

class SelfLockoutProblem extends ProblemException {
  constructor(detail: string) {
    super(409, { type: 'self-lockout', detail });
  }
}

/** Workspace users, managed by the workspace's admins. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCacheService,
  ) {}

  list(principal: Principal): Promise<UserEntity[]> {
    return this.users.listInWorkspace(principal.workspaceId);
  }

  async get(principal: Principal, id: string): Promise<UserEntity> {
    const user = await this.users.findInWorkspace(principal.workspaceId, id);
    if (!user) throw new NotFoundProblem('The user');
    return user;
  }

  /** Creates a user in `workspaceId` (the actor's own unless a super-admin creates a workspace's first admin). */
  async create(
    actor: Actor,
    workspaceId: string,
    input: { email: string; password: string; role: Role },
  ): Promise<UserEntity> {
    // Nobody grants more than they hold: the new user's role may not exceed the creator's (no route makes a
    // super-admin; a system actor without a principal, e.g. workspace bootstrap, is trusted).
    if (actor.principal && !roleAtLeast(actor.principal.role, input.role))
      throw new ForbiddenProblem(
        `You cannot create a user with a role above your own (${actor.principal.role}).`,
      );
    const email = input.email.trim().toLowerCase();
    this.passwords.assertAcceptable(input.password, 'password', email);
    if (await this.users.findByEmail(email)) {
      throw new ConflictProblem('A user with this e-mail already exists.', 'email-taken');
    }
    const user = new UserEntity();
    user.workspaceId = workspaceId;
    user.email = email;
    user.passwordHash = await this.passwords.hash(input.password);
    user.role = input.role;
    user.isSuperAdmin = false;
    user.disabledAt = null;
    user.lastLoginAt = null;
    try {
      await this.users.insert(user);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY')
        throw new ConflictProblem('A user with this e-mail already exists.', 'email-taken');
      throw error;
    }
    await this.audit.record(actor, {
      workspaceId,
      action: 'user.created',
      targetType: 'user',
      targetId: user.id,
      details: { email, role: user.role },
    });
    return (await this.users.findById(user.id)) ?? user;
  }

  async update(
    actor: Actor & { principal: Principal },
    id: string,
    changes: UserChanges,
  ): Promise<UserEntity> {
    const user = await this.get(actor.principal, id);
    this.assertMayChange(actor.principal, user);
    const self = user.id === actor.principal.id;
    if (changes.role !== undefined && changes.role !== user.role) {
      if (self) throw new SelfLockoutProblem('You cannot change your own role.');
      if (user.role === 'admin') await this.assertAnotherAdmin(user);
      await this.users.update(user.id, { role: changes.role });
      await this.principals.invalidate(userCacheKey(user.id));
      await this.audit.record(actor, {
        action: 'user.role_changed',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email, from: user.role, to: changes.role },
      });
    }
    if (changes.disabled !== undefined && changes.disabled !== Boolean(user.disabledAt)) {
      if (self) throw new SelfLockoutProblem('You cannot disable yourself.');
      if (changes.disabled && user.role === 'admin') await this.assertAnotherAdmin(user);
      await this.users.update(user.id, { disabledAt: changes.disabled ? new Date() : null });
      await this.principals.invalidate(userCacheKey(user.id));
      if (changes.disabled) await this.tokens.revokeAllOfUser(user.id);
      await this.audit.record(actor, {
        action: changes.disabled ? 'user.disabled' : 'user.enabled',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email },
      });
    }
    if (changes.password !== undefined) {
      this.passwords.assertAcceptable(changes.password, 'password', user.email);
      await this.users.update(user.id, { passwordHash: await this.passwords.hash(changes.password) });
      await this.tokens.revokeAllOfUser(user.id);
      await this.audit.record(actor, {
        action: 'user.password_reset',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email },
      });
    }
    return this.get(actor.principal, id);
  }

  async remove(actor: Actor & { principal: Principal }, id: string): Promise<void> {
    const user = await this.get(actor.principal, id);
    this.assertMayChange(actor.principal, user);
    if (user.id === actor.principal.id) throw new SelfLockoutProblem('You cannot delete yourself.');
    if (user.isSuperAdmin) throw new SelfLockoutProblem('The platform super-admin cannot be deleted here.');
    if (user.role === 'admin') await this.assertAnotherAdmin(user);
    await this.tokens.revokeAllOfUser(user.id);
    await this.users.delete(user.id);
    await this.principals.invalidate(userCacheKey(user.id));
    await this.audit.record(actor, {
      action: 'user.deleted',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, role: user.role },
    });
  }

  /**
   * The rule for every change to a user (role, disabled, password, deletion; the e-mail no route changes): nobody
   * changes a user whose privileges exceed their own. Another workspace's user is already out of reach (404).
   * Inside the workspace, a super-admin outranks every admin, so only a super-admin changes or deletes a
   * super-admin: an admin user or an admin API key gets 403. Roles count too, should a route below admin ever
   * reach here. Checked before anything else, so the answer does not reveal more about the target.
   */
  private assertMayChange(principal: Principal, target: UserEntity): void {
    const actorIsSuperAdmin = principal.kind === 'user' && principal.isSuperAdmin;
    if (target.isSuperAdmin && !actorIsSuperAdmin)
      throw new ForbiddenProblem('Only the platform super-admin can change or delete a super-admin.');
    if (!roleAtLeast(principal.role, target.role))
      throw new ForbiddenProblem(`You cannot change a user whose role (${target.role}) is above yours.`);
  }

  private async assertAnotherAdmin(user: UserEntity): Promise<void> {
    const admins = await this.users.countActiveAdmins(user.workspaceId);
    if (admins <= 1 && !user.disabledAt) {
      throw new SelfLockoutProblem(
        'This is the last active admin of the workspace: make someone else admin first.',
      );
    }
  }
}
