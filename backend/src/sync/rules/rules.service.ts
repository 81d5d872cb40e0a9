import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedActor } from '../../auth/current-principal.decorator';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../../http/problem';
import { SettingsVersionService } from '../../settings/settings-version.service';
import { diffDocuments, type RuleChange } from './rule-diff';
import { RuleValidationService, type ValidRule } from './rule-validation.service';
import { RuleVersionEntity } from './rule-version.entity';
import { RuleEntity } from './rule.entity';
import { RULE_LIMITS, RULE_SCHEMA_VERSION, type RuleDocument, type RuleForRun } from './rule.types';
import { RulesRepository } from './rules.repository';

/** Gap between priorities given by reorder and to new rules, so one can be put between two without renumbering. */
export const PRIORITY_STEP = 10;

/**
 * Rules of a workspace with their versions. Every change (create, update, enable/disable, reorder, duplicate,
 * restore, import, delete) bumps the workspace settings version in the same transaction and records it on the new
 * version rows, so `forRun(settingsVersion)` answers exactly the rules an event received at that version ran with.
 */
@Injectable()
export class RulesService {
  constructor(
    private readonly repository: RulesRepository,
    private readonly validation: RuleValidationService,
    private readonly settings: SettingsVersionService,
    private readonly audit: AuditService,
  ) {}

  page(workspaceId: string, page: number, limit: number): Promise<[RuleEntity[], number]> {
    return this.repository.page(workspaceId, (page - 1) * limit, limit);
  }

  async get(workspaceId: string, id: string): Promise<RuleEntity> {
    const rule = await this.repository.find(workspaceId, id);
    if (!rule) throw new NotFoundProblem('A rule with this id');
    return rule;
  }

  async create(actor: AuthenticatedActor, workspaceId: string, body: unknown): Promise<RuleEntity> {
    const rule = await this.validation.validate(workspaceId, body);
    const saved = await this.change(workspaceId, async (manager, settingsVersion) => {
      await this.assertRoom(manager, workspaceId, 1);
      const priority = rule.priority ?? (await this.nextPriority(manager, workspaceId));
      return this.insertRule(manager, workspaceId, { ...rule, priority }, settingsVersion, actor, 'create');
    });
    await this.record(actor, workspaceId, 'rule.created', saved);
    return saved;
  }

  async update(
    actor: AuthenticatedActor,
    workspaceId: string,
    id: string,
    body: unknown,
  ): Promise<RuleEntity> {
    const rule = await this.validation.validate(workspaceId, body);
    const saved = await this.change(workspaceId, async (manager, settingsVersion) => {
      const current = await this.locked(manager, workspaceId, id);
      const document = { ...rule, priority: rule.priority ?? current.priority };
      return this.writeVersion(manager, current, document, settingsVersion, actor, 'update');
    });
    await this.record(actor, workspaceId, 'rule.updated', saved);
    return saved;
  }

  async setEnabled(
    actor: AuthenticatedActor,
    workspaceId: string,
    id: string,
    enabled: boolean,
  ): Promise<RuleEntity> {
    const now = await this.get(workspaceId, id);
    if (now.enabled === enabled) return now; // nothing changes: no version, no settings bump
    const saved = await this.change(workspaceId, async (manager, settingsVersion) => {
      const current = await this.locked(manager, workspaceId, id);
      if (current.enabled === enabled) return current;
      const origin = enabled ? 'enable' : 'disable';
      return this.writeVersion(
        manager,
        current,
        { ...current.document, enabled },
        settingsVersion,
        actor,
        origin,
      );
    });
    await this.record(actor, workspaceId, enabled ? 'rule.enabled' : 'rule.disabled', saved);
    return saved;
  }

  async remove(actor: AuthenticatedActor, workspaceId: string, id: string): Promise<void> {
    const removed = await this.change(workspaceId, async (manager, settingsVersion) => {
      const current = await this.locked(manager, workspaceId, id);
      await this.repository.insertVersion(
        manager,
        this.versionRow(current, null, settingsVersion, actor, 'delete'),
      );
      await this.repository.deleteRule(manager, workspaceId, id);
      return current;
    });
    await this.record(actor, workspaceId, 'rule.deleted', removed);
  }

  /** A copy placed right after the original, disabled, named «… (копия)». */
  async duplicate(actor: AuthenticatedActor, workspaceId: string, id: string): Promise<RuleEntity> {
    const saved = await this.change(workspaceId, async (manager, settingsVersion) => {
      const original = await this.locked(manager, workspaceId, id);
      await this.assertRoom(manager, workspaceId, 1);
      const name = `${original.document.name} (копия)`.slice(0, RULE_LIMITS.nameLength);
      const document = {
        ...original.document,
        name,
        enabled: false,
        priority: Math.min(RULE_LIMITS.priorityMax, original.priority + 1),
      };
      return this.insertRule(
        manager,
        workspaceId,
        document,
        settingsVersion,
        actor,
        `duplicate:${original.id}`,
      );
    });
    await this.record(actor, workspaceId, 'rule.created', saved);
    return saved;
  }

  /** Every rule of the workspace, named once each in running order: priorities become 10, 20, 30… */
  async reorder(actor: AuthenticatedActor, workspaceId: string, ids: string[]): Promise<RuleEntity[]> {
    const ordered = await this.change(workspaceId, async (manager, settingsVersion) => {
      const rules = await this.repository.lockAll(manager, workspaceId);
      const known = new Set(rules.map((rule) => rule.id));
      const errors = ids.flatMap((ruleId, i) =>
        !known.has(ruleId)
          ? [{ field: `ids[${i}]`, message: 'is not a rule of this workspace', code: 'unknown_rule' }]
          : ids.indexOf(ruleId) !== i
            ? [{ field: `ids[${i}]`, message: 'names a rule twice', code: 'duplicate' }]
            : [],
      );
      if (errors.length === 0 && ids.length !== rules.length)
        errors.push({
          field: 'ids',
          message: 'must name every rule of the workspace once',
          code: 'incomplete',
        });
      if (errors.length > 0) throw new ValidationProblem(errors);
      const byId = new Map(rules.map((rule) => [rule.id, rule]));
      const out: RuleEntity[] = [];
      for (const [i, ruleId] of ids.entries()) {
        const rule = byId.get(ruleId)!;
        const priority = (i + 1) * PRIORITY_STEP;
        out.push(
          rule.priority === priority
            ? rule
            : await this.writeVersion(
                manager,
                rule,
                { ...rule.document, priority },
                settingsVersion,
                actor,
                'reorder',
              ),
        );
      }
      return out;
    });
    await this.audit.record(actor, {
      workspaceId,
      action: 'rule.reordered',
      targetType: 'rule',
      details: { ids },
    });
    return ordered;
  }

  versions(
    workspaceId: string,
    id: string,
    page: number,
    limit: number,
  ): Promise<[RuleVersionEntity[], number]> {
    return this.repository.versionsPage(workspaceId, id, (page - 1) * limit, limit);
  }

  async version(workspaceId: string, id: string, version: number): Promise<RuleVersionEntity> {
    const row = await this.repository.version(workspaceId, id, version);
    if (!row) throw new NotFoundProblem('This version of the rule');
    return row;
  }

  /** What changed between two versions; `to` defaults to the current version, `from` to the one before `to`. */
  async diff(
    workspaceId: string,
    id: string,
    fromVersion?: number,
    toVersion?: number,
  ): Promise<{ from: number; to: number; changes: RuleChange[] }> {
    const to = toVersion ?? (await this.get(workspaceId, id)).version;
    const from = fromVersion ?? Math.max(1, to - 1);
    const [before, after] = [
      await this.version(workspaceId, id, from),
      await this.version(workspaceId, id, to),
    ];
    return { from, to, changes: diffDocuments(before.document, after.document) };
  }

  /** A new version holding an older one's rule (checked against today's metadata); the priority stays as it is. */
  async restore(
    actor: AuthenticatedActor,
    workspaceId: string,
    id: string,
    version: number,
  ): Promise<RuleEntity> {
    await this.get(workspaceId, id);
    const old = await this.version(workspaceId, id, version);
    if (!old.document)
      throw new ConflictProblem('This version deleted the rule: there is nothing to restore');
    const rule = await this.validation.validate(workspaceId, old.document);
    const saved = await this.change(workspaceId, async (manager, settingsVersion) => {
      const current = await this.locked(manager, workspaceId, id);
      const document = { ...rule, priority: current.priority };
      return this.writeVersion(manager, current, document, settingsVersion, actor, `restore:${version}`);
    });
    await this.record(actor, workspaceId, 'rule.restored', saved, { version });
    return saved;
  }

  /** The enabled rules in force at a settings version, in running order (priority, then creation). */
  async forRun(workspaceId: string, settingsVersion: number): Promise<RuleForRun[]> {
    const rows = await this.repository.inForceAt(workspaceId, settingsVersion);
    return rows
      .filter((row): row is RuleVersionEntity & { document: RuleDocument } => row.document?.enabled === true)
      .sort((a, b) => a.document.priority - b.document.priority || a.ruleId.localeCompare(b.ruleId))
      .map((row) => ({ ruleId: row.ruleId, version: row.version, document: row.document }));
  }

  /** Runs a change in a transaction that also bumps the workspace settings version. */
  change<T>(
    workspaceId: string,
    work: (manager: EntityManager, settingsVersion: number) => Promise<T>,
  ): Promise<T> {
    return this.repository.transaction(async (manager) =>
      work(manager, await this.settings.bumpSettingsVersion(workspaceId, manager)),
    );
  }

  async assertRoom(manager: EntityManager, workspaceId: string, more: number): Promise<void> {
    if ((await this.repository.countIn(manager, workspaceId)) + more > RULE_LIMITS.rulesPerWorkspace)
      throw new ConflictProblem(
        `A workspace may hold at most ${RULE_LIMITS.rulesPerWorkspace} rules`,
        'too-many-rules',
      );
  }

  async nextPriority(manager: EntityManager, workspaceId: string): Promise<number> {
    const top = await this.repository.maxPriorityIn(manager, workspaceId);
    return Math.min(RULE_LIMITS.priorityMax, top === null ? PRIORITY_STEP : top + PRIORITY_STEP);
  }

  async insertRule(
    manager: EntityManager,
    workspaceId: string,
    rule: Omit<RuleDocument, 'schemaVersion'> & Partial<Pick<RuleDocument, 'schemaVersion'>>,
    settingsVersion: number,
    actor: AuthenticatedActor,
    origin: string,
  ): Promise<RuleEntity> {
    const entity = new RuleEntity();
    entity.workspaceId = workspaceId;
    entity.version = 0;
    return this.writeVersion(manager, entity, rule, settingsVersion, actor, origin);
  }

  private async writeVersion(
    manager: EntityManager,
    rule: RuleEntity,
    document: Omit<RuleDocument, 'schemaVersion'> & Partial<Pick<RuleDocument, 'schemaVersion'>>,
    settingsVersion: number,
    actor: AuthenticatedActor,
    origin: string,
  ): Promise<RuleEntity> {
    const stored = documentOf(document);
    rule.version += 1;
    rule.name = stored.name;
    rule.enabled = stored.enabled;
    rule.priority = stored.priority;
    rule.document = stored;
    rule.updatedBy = actor.principal.label;
    const saved = await this.repository.saveRule(manager, rule);
    await this.repository.insertVersion(
      manager,
      this.versionRow(saved, stored, settingsVersion, actor, origin),
    );
    return saved;
  }

  private versionRow(
    rule: RuleEntity,
    document: RuleDocument | null,
    settingsVersion: number,
    actor: AuthenticatedActor,
    origin: string,
  ): RuleVersionEntity {
    const row = new RuleVersionEntity();
    row.workspaceId = rule.workspaceId;
    row.ruleId = rule.id;
    row.version = document ? rule.version : rule.version + 1;
    row.document = document;
    row.settingsVersion = settingsVersion;
    row.origin = origin;
    row.createdBy = actor.principal.label;
    return row;
  }

  private async locked(manager: EntityManager, workspaceId: string, id: string): Promise<RuleEntity> {
    const rule = await this.repository.lock(manager, workspaceId, id);
    if (!rule) throw new NotFoundProblem('A rule with this id');
    return rule;
  }

  private record(
    actor: AuthenticatedActor,
    workspaceId: string,
    action: string,
    rule: RuleEntity,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(actor, {
      workspaceId,
      action,
      targetType: 'rule',
      targetId: rule.id,
      details: { name: rule.name, version: rule.version, ...details },
    });
  }
}

/** The stored document: the known keys in a fixed order, with the schema version. */
export function documentOf(
  rule: Omit<RuleDocument, 'schemaVersion'> & Partial<Pick<RuleDocument, 'schemaVersion'>>,
): RuleDocument {
  return {
    schemaVersion: RULE_SCHEMA_VERSION,
    name: rule.name,
    enabled: rule.enabled,
    priority: rule.priority,
    trigger: rule.trigger,
    conditions: rule.conditions,
    actions: rule.actions,
  };
}

export type { ValidRule };
