import { Injectable } from '@nestjs/common';
import type { AuditDetails } from '../audit/audit-entry.entity';
import { AuditService } from '../audit/audit.service';
import { ConflictProblem, NotFoundProblem } from '../http/problem';
import { ForbiddenProblem } from './auth.problems';
import type { AuthenticatedActor } from './current-principal.decorator';
import { PasswordService } from './password.service';
import type { Actor, Principal } from './principal';
import { PrincipalCacheService, workspaceCacheKey } from './principal-cache.service';
import { TokensService } from './tokens.service';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { WorkspaceEntity } from './workspace.entity';
import { WorkspacesRepository } from './workspaces.repository';

export interface WorkspaceSummary {
  workspace: WorkspaceEntity;
  users: number;
}

/** Where the caller acts: their workspace, or the one a super-admin opened (then `home` is their own). */
export interface CurrentWorkspace {
  workspace: WorkspaceEntity;
  home: WorkspaceEntity | null;
}

/** The caller's own workspace, also while a super-admin acts in another one. */
const homeOf = (principal: Principal): string => principal.homeWorkspaceId ?? principal.workspaceId;

/** Workspaces, created by the platform super-admin together with their first admin. */
@Injectable()
export class WorkspacesService {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly cache: PrincipalCacheService,
  ) {}

  async list(): Promise<WorkspaceSummary[]> {
    const [workspaces, counts] = await Promise.all([
      this.workspaces.listAll(),
      this.users.countByWorkspace(),
    ]);
    const byId = new Map(counts.map((row) => [row.workspaceId, row.users]));
    return workspaces.map((workspace) => ({ workspace, users: byId.get(workspace.id) ?? 0 }));
  }

  /** A new name; recorded in the super-admin's audit log with the old and the new name. */
  async rename(actor: Actor, id: string, name: string): Promise<WorkspaceSummary> {
    const workspace = await this.found(id);
    const from = workspace.name;
    const to = name.trim();
    if (to !== from) {
      await this.workspaces.rename(id, to);
      await this.audit.record(actor, {
        action: 'workspace.renamed',
        targetType: 'workspace',
        targetId: id,
        details: { from, to },
      });
    }
    return this.summary(id);
  }

  /**
   * Turns a workspace off or on. Off: its users, sessions and API keys get 403 workspace-disabled at once (every
   * process drops the cached state), its sessions are kept (they work again once it is on), its webhooks are still
   * accepted into the inbox. The platform's own workspace, where the super-admin works, cannot be turned off.
   * Recorded in the workspace's audit log and in the super-admin's own.
   */
  async setDisabled(actor: AuthenticatedActor, id: string, disabled: boolean): Promise<WorkspaceSummary> {
    const workspace = await this.found(id);
    if (disabled && (workspace.isDefault || id === homeOf(actor.principal)))
      throw new ConflictProblem(
        'The workspace the super-admin works in cannot be turned off.',
        'workspace-in-use',
      );
    if (Boolean(workspace.disabledAt) !== disabled) {
      await this.workspaces.setDisabled(id, disabled ? new Date() : null);
      await this.cache.invalidate(workspaceCacheKey(id));
      await this.recordInBoth(actor, id, disabled ? 'workspace.disabled' : 'workspace.enabled', {
        name: workspace.name,
      });
    }
    return this.summary(id);
  }

  /**
   * The super-admin acts in workspace `id` from now on, in this login session (their own workspace: back home).
   * Nothing else changes: the same tokens, the session remembers the choice; what they do there is recorded in
   * that workspace's audit log under their name. Opening is recorded there and in their own workspace.
   */
  async open(actor: AuthenticatedActor, id: string): Promise<CurrentWorkspace> {
    const principal = actor.principal;
    if (!principal.sessionId) throw new ForbiddenProblem('Open a workspace from a logged-in session.');
    const workspace = await this.found(id);
    const home = homeOf(principal);
    await this.tokens.setActingWorkspace(principal.sessionId, id === home ? null : id);
    if (principal.workspaceId !== id) {
      if (principal.workspaceId !== home)
        await this.recordInBoth(actor, principal.workspaceId, 'workspace.left', {});
      if (id !== home) await this.recordInBoth(actor, id, 'workspace.opened', { name: workspace.name });
    }
    return this.current({ ...principal, workspaceId: id, homeWorkspaceId: id === home ? undefined : home });
  }

  /** The caller's current workspace (and their own one while a super-admin acts in another). */
  async current(principal: Principal): Promise<CurrentWorkspace> {
    const workspace = await this.found(principal.workspaceId);
    const home = principal.homeWorkspaceId ? await this.workspaces.findById(principal.homeWorkspaceId) : null;
    return { workspace, home };
  }

  private async found(id: string): Promise<WorkspaceEntity> {
    const workspace = await this.workspaces.findById(id);
    if (!workspace) throw new NotFoundProblem('The workspace');
    return workspace;
  }

  private async summary(id: string): Promise<WorkspaceSummary> {
    const [workspace, counts] = await Promise.all([this.found(id), this.users.countByWorkspace()]);
    return { workspace, users: counts.find((row) => row.workspaceId === id)?.users ?? 0 };
  }

  /** An audit record in workspace `id` and, when it is another one, in the super-admin's own workspace. */
  private async recordInBoth(
    actor: AuthenticatedActor,
    id: string,
    action: string,
    details: AuditDetails,
  ): Promise<void> {
    const home = homeOf(actor.principal);
    for (const workspaceId of id === home ? [id] : [id, home])
      await this.audit.record(actor, { workspaceId, action, targetType: 'workspace', targetId: id, details });
  }

  async create(
    actor: Actor,
    input: { name: string; adminEmail: string; adminPassword: string },
  ): Promise<WorkspaceSummary> {
    this.passwords.assertAcceptable(input.adminPassword, 'adminPassword', input.adminEmail);
    if (await this.users.findByEmail(input.adminEmail.trim().toLowerCase())) {
      throw new ConflictProblem('A user with this e-mail already exists.', 'email-taken');
    }
    const workspace = new WorkspaceEntity();
    workspace.name = input.name.trim();
    workspace.isDefault = false;
    await this.workspaces.insert(workspace);
    try {
      await this.usersService.create(actor, workspace.id, {
        email: input.adminEmail,
        password: input.adminPassword,
        role: 'admin',
      });
    } catch (error) {
      await this.workspaces.delete(workspace.id);
      throw fieldRenamed(error);
    }
    // Recorded in the super-admin's own workspace, where they read their audit log.
    await this.audit.record(actor, {
      action: 'workspace.created',
      targetType: 'workspace',
      targetId: workspace.id,
      details: { name: workspace.name, adminEmail: input.adminEmail },
    });
    return { workspace: (await this.workspaces.findById(workspace.id)) ?? workspace, users: 1 };
  }
}

/** The admin's fields are called adminEmail/adminPassword in this request. */
function fieldRenamed(error: unknown): unknown {
  const problem = (error as { problem?: { errors?: { field: string }[] } }).problem;
  for (const fieldError of problem?.errors ?? []) {
    if (fieldError.field === 'password') fieldError.field = 'adminPassword';
    if (fieldError.field === 'email') fieldError.field = 'adminEmail';
  }
  return error;
}
