import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { withNamedLock } from '../database/named-lock';
import { ProblemException } from '../http/problem';
import { PasswordService } from './password.service';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { WorkspaceEntity } from './workspace.entity';
import { WorkspacesRepository } from './workspaces.repository';

const BOOTSTRAP_LOCK = 'amocrm_integration_bootstrap_admin';

export type EnsureAdminResult = 'created' | 'exists';

/**
 * First start: creates the default workspace and makes the super-admin from ADMIN_EMAIL / ADMIN_PASSWORD its admin.
 * Also used by `npm run cli -- create-admin`.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.defaultWorkspace();
    if (this.config.adminEmail && this.config.adminPassword) {
      const result = await this.ensureSuperAdmin(this.config.adminEmail, this.config.adminPassword).catch(
        (error: unknown) => {
          throw error instanceof ProblemException ? firstAdminRefused(error) : error;
        },
      );
      if (result === 'created')
        this.logger.log(`created the super-admin ${this.config.adminEmail} in the default workspace`);
    } else if ((await this.users.countSuperAdmins()) === 0) {
      this.logger.warn(
        'no super-admin yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run npm run cli -- create-admin',
      );
    }
  }

  /** Creates the super-admin unless a user with this e-mail exists. Serialised across processes by a database lock. */
  async ensureSuperAdmin(emailInput: string, password: string): Promise<EnsureAdminResult> {
    const email = emailInput.trim().toLowerCase();
    return this.locked(async () => {
      if (await this.users.findByEmail(email)) return 'exists';
      this.passwords.assertAcceptable(password, 'ADMIN_PASSWORD', email);
      const workspace = await this.defaultWorkspaceUnlocked();
      const user = new UserEntity();
      user.workspaceId = workspace.id;
      user.email = email;
      user.passwordHash = await this.passwords.hash(password);
      user.role = 'admin';
      user.isSuperAdmin = true;
      user.disabledAt = null;
      user.lastLoginAt = null;
      await this.users.insert(user);
      await this.audit.record(null, {
        workspaceId: workspace.id,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { email, role: 'admin', superAdmin: true },
      });
      return 'created';
    });
  }

  defaultWorkspace(): Promise<WorkspaceEntity> {
    return this.locked(() => this.defaultWorkspaceUnlocked());
  }

  private async defaultWorkspaceUnlocked(): Promise<WorkspaceEntity> {
    const existing = await this.workspaces.findDefault();
    if (existing) return existing;
    const workspace = new WorkspaceEntity();
    workspace.name = 'Основное пространство';
    workspace.isDefault = true;
    return this.workspaces.insert(workspace);
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    return withNamedLock(this.dataSource, BOOTSTRAP_LOCK, 30, work);
  }
}

/** ADMIN_PASSWORD refused by the password policy: a start-up line naming the variable and the reason. */
function firstAdminRefused(error: ProblemException): ConfigError {
  const reasons = error.problem.errors?.map((field) => field.message) ?? [error.problem.detail];
  return new ConfigError(
    reasons.map((reason) => `ADMIN_PASSWORD is not accepted for the first admin (ADMIN_EMAIL): ${reason}`),
  );
}
