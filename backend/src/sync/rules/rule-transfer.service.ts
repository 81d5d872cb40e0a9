import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedActor } from '../../auth/current-principal.decorator';
import { ValidationProblem } from '../../http/problem';
import { RuleInput } from './rule-input';
import { RuleValidationService } from './rule-validation.service';
import { RuleVersionEntity } from './rule-version.entity';
import type { RuleEntity } from './rule.entity';
import { RULE_LIMITS, RULE_SCHEMA_VERSION, type RuleDocument } from './rule.types';
import { RulesRepository } from './rules.repository';
import { PRIORITY_STEP, RulesService } from './rules.service';

export interface RuleSetExport {
  schemaVersion: number;
  exportedAt: string;
  rules: RuleDocument[];
}

export type ImportMode = 'append' | 'replace';

/**
 * A workspace's rule set as one JSON document, and back. An import is checked as a whole (every rule against the
 * metadata; errors name `rules[2].conditions…`) and applied all or nothing in one transaction and one settings
 * version: `append` adds the rules after the existing ones (priorities kept when given), `replace` first deletes
 * every existing rule (their versions stay).
 */
@Injectable()
export class RuleTransferService {
  constructor(
    private readonly repository: RulesRepository,
    private readonly rules: RulesService,
    private readonly validation: RuleValidationService,
    private readonly audit: AuditService,
  ) {}

  async export(workspaceId: string): Promise<RuleSetExport> {
    const rules = await this.repository.all(workspaceId);
    return {
      schemaVersion: RULE_SCHEMA_VERSION,
      exportedAt: new Date().toISOString(),
      rules: rules.map((rule) => rule.document),
    };
  }

  async import(
    actor: AuthenticatedActor,
    workspaceId: string,
    body: unknown,
  ): Promise<{ mode: ImportMode; deleted: number; created: RuleEntity[] }> {
    const input = new RuleInput();
    const record = input.object(body, '', ['schemaVersion', 'exportedAt', 'rules', 'mode']);
    const mode = (record?.mode ?? 'append') as ImportMode;
    if (record && !['append', 'replace'].includes(mode))
      input.add('mode', 'mode must be append or replace', 'enum');
    if (record && record.schemaVersion !== undefined && record.schemaVersion !== RULE_SCHEMA_VERSION)
      input.add('schemaVersion', `schemaVersion must be ${RULE_SCHEMA_VERSION}`, 'schemaVersion');
    const items = record ? input.array(record.rules, 'rules', RULE_LIMITS.importRules) : null;
    if (input.errors.length > 0 || !items) throw new ValidationProblem(input.errors);
    const valid = await this.validation.validateMany(
      workspaceId,
      items.map((item, i) => ({ body: item, prefix: `rules[${i}]` })),
    );
    const result = await this.rules.change(workspaceId, async (manager, settingsVersion) => {
      let deleted = 0;
      if (mode === 'replace') {
        for (const rule of await this.repository.lockAll(manager, workspaceId)) {
          const tombstone = new RuleVersionEntity();
          Object.assign(tombstone, {
            workspaceId,
            ruleId: rule.id,
            version: rule.version + 1,
            document: null,
            settingsVersion,
            origin: 'import',
            createdBy: actor.principal.label,
          });
          await this.repository.insertVersion(manager, tombstone);
          await this.repository.deleteRule(manager, workspaceId, rule.id);
          deleted += 1;
        }
      }
      await this.rules.assertRoom(manager, workspaceId, valid.length);
      let next = await this.rules.nextPriority(manager, workspaceId);
      const created: RuleEntity[] = [];
      for (const rule of valid) {
        const priority = rule.priority ?? next;
        next = Math.min(RULE_LIMITS.priorityMax, Math.max(next, priority + PRIORITY_STEP));
        created.push(
          await this.rules.insertRule(
            manager,
            workspaceId,
            { ...rule, priority },
            settingsVersion,
            actor,
            'import',
          ),
        );
      }
      return { mode, deleted, created };
    });
    await this.audit.record(actor, {
      workspaceId,
      action: 'rule.imported',
      targetType: 'rule',
      details: { mode, deleted: result.deleted, created: result.created.length },
    });
    return result;
  }
}
