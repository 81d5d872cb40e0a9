import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import {
  LoginLockedProblem,
  InvalidCredentialsProblem,
  UnauthorizedProblem,
  WorkspaceDisabledProblem,
} from './auth.problems';
import { LoginThrottleService, type ThrottleScope } from './login-throttle.service';
import { PasswordService } from './password.service';
import { PrincipalsService, principalOfUser } from './principals.service';
import type { Actor, Principal } from './principal';
import { TokensService, type TokenPair } from './tokens.service';
import { UsersRepository } from './users.repository';
import type { UserEntity } from './user.entity';

export interface Session extends TokenPair {
  user: UserEntity;
}

/** Login, token refresh with rotation and reuse detection, logout, own password. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly principals: PrincipalsService,
  ) {}

  async login(emailInput: string, password: string, ip: string): Promise<Session> {
    const email = emailInput.trim().toLowerCase();
    const attempt = await this.throttle.begin(email, ip);
    if (!attempt.allowed) {
      if (attempt.budgetUsedUp) await this.recordLockout(email, ip, attempt.retryAfterSeconds, ['email']);
      throw new LoginLockedProblem(attempt.retryAfterSeconds);
    }

    const user = await this.users.findByEmail(email);
    const passwordOk = await this.passwords.verify(user?.passwordHash, password);
    if (attempt.budgetUsedUp) await this.recordLockout(email, ip, null, ['email'], user);
    if (!user || !passwordOk || user.disabledAt) {
      const lock = await this.throttle.recordFailure(attempt);
      await this.audit.record(
        { principal: null, ip },
        {
          workspaceId: user?.workspaceId ?? null,
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: user?.id,
          details: { email },
        },
        email,
      );
      if (lock) {
        await this.recordLockout(email, ip, lock.seconds, lock.scopes, user);
        throw new LoginLockedProblem(lock.seconds);
      }
      throw new InvalidCredentialsProblem();
    }

    await this.throttle.recordSuccess(attempt);
    await this.refuseDisabledWorkspace(user);
    await this.users.update(user.id, { lastLoginAt: new Date() });
    await this.audit.record(
      { principal: principalOfUser(user), ip },
      { action: 'auth.login', targetType: 'user', targetId: user.id },
    );
    return { ...(await this.tokens.issuePair(user, ip)), user };
  }

  /** Audits a lock, or an e-mail's budget of attempts used up, in the account's workspace (if there is one). */
  private async recordLockout(
    email: string,
    ip: string,
    seconds: number | null,
    scopes: ThrottleScope[],
    user?: UserEntity | null,
  ): Promise<void> {
    const account = user === undefined ? await this.users.findByEmail(email) : user;
    await this.audit.record(
      { principal: null, ip },
      {
        workspaceId: account?.workspaceId ?? null,
        action: 'auth.lockout',
        details: { email, seconds, scopes },
      },
      email,
    );
  }

  async refresh(refreshToken: string, ip: string): Promise<Session> {
    // checked before the token is used up, so the session works again once the workspace is turned on
    const presented = await this.tokens.find(refreshToken);
    const owner = presented ? await this.users.findById(presented.userId) : null;
    if (owner) await this.refuseDisabledWorkspace(owner);
    const outcome = await this.tokens.consumeRefreshToken(refreshToken);
    if (outcome.kind === 'reused') {
      await this.tokens.revokeFamily(outcome.token.familyId);
      const user = await this.users.findById(outcome.token.userId);
      await this.audit.record(
        { principal: user ? principalOfUser(user) : null, ip },
        {
          workspaceId: user?.workspaceId ?? null,
          action: 'auth.refresh_reuse_detected',
          targetType: 'user',
          targetId: outcome.token.userId,
          details: { family: outcome.token.familyId },
        },
      );
      throw new UnauthorizedProblem(
        'This refresh token was already used; the session has been closed. Log in again.',
        'refresh-token-reused',
      );
    }
    if (outcome.kind === 'invalid')
      throw new UnauthorizedProblem(
        'The refresh token is invalid or expired. Log in again.',
        'invalid-refresh-token',
      );
    const user = await this.users.findById(outcome.token.userId);
    if (!user || user.disabledAt) {
      await this.tokens.revokeFamily(outcome.token.familyId);
      throw new UnauthorizedProblem('The account is disabled.', 'account-disabled');
    }
    return { ...(await this.tokens.issuePair(user, ip, outcome.token.familyId)), user };
  }

  /** A turned-off workspace's users get 403 (their sessions stay and work again once it is turned on). */
  private async refuseDisabledWorkspace(user: UserEntity): Promise<void> {
    if (!user.isSuperAdmin && (await this.principals.isWorkspaceDisabled(user.workspaceId)))
      throw new WorkspaceDisabledProblem();
  }

  async logout(refreshToken: string, actor: Actor): Promise<void> {
    const token = await this.tokens.find(refreshToken);
    if (!token) return;
    await this.tokens.revokeFamily(token.familyId);
    const user = await this.users.findById(token.userId);
    if (user)
      await this.audit.record(
        { principal: principalOfUser(user), ip: actor.ip },
        { action: 'auth.logout', targetType: 'user', targetId: user.id },
      );
  }

  async me(principal: Principal): Promise<UserEntity> {
    const user = principal.kind === 'user' ? await this.users.findById(principal.id) : null;
    if (!user) throw new UnauthorizedProblem('The account no longer exists.');
    return user;
  }

  async changeOwnPassword(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    ip: string,
  ): Promise<Session> {
    const user = await this.me(principal);
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw new UnauthorizedProblem('The current password is wrong.', 'invalid-credentials');
    }
    this.passwords.assertAcceptable(newPassword, 'newPassword', user.email);
    await this.users.update(user.id, { passwordHash: await this.passwords.hash(newPassword) });
    await this.tokens.revokeAllOfUser(user.id);
    await this.audit.record(
      { principal, ip },
      { action: 'user.password_changed', targetType: 'user', targetId: user.id },
    );
    return { ...(await this.tokens.issuePair(user, ip)), user };
  }
}
