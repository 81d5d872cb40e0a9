import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ConflictProblem, NotFoundProblem } from '../http/problem';
import { PasswordService } from './password.service';
import type { Actor } from './principal';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { WorkspaceEntity } from './workspace.entity';
import { WorkspacesRepository } from './workspaces.repository';

export interface WorkspaceSummary {
  workspace: WorkspaceEntity;
  users: number;
}

/** Workspaces, created by the platform super-admin together with their first admin. */
@Injectable()
export class WorkspacesService {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
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
    const workspace = await this.workspaces.findById(id);
    if (!workspace) throw new NotFoundProblem('The workspace');
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
    const counts = await this.users.countByWorkspace();
    return {
      workspace: (await this.workspaces.findById(id)) ?? workspace,
      users: counts.find((row) => row.workspaceId === id)?.users ?? 0,
    };
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
