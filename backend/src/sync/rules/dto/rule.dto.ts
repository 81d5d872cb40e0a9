import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageDto, PageQueryDto } from '../../../http/pagination';
import { QueryInteger } from '../../../http/query-integer';
import type { RuleCatalogField } from '../rule-catalog';
import type { RuleChange } from '../rule-diff';
import type { RuleVersionEntity } from '../rule-version.entity';
import type { RuleEntity } from '../rule.entity';
import {
  RULE_LIMITS,
  type RuleAction,
  type RuleActionType,
  type RuleEvent,
  type RuleFieldType,
  type RuleOperator,
  type RuleSource,
  type RuleConditionNode,
  type RuleDocument,
  type RuleTrigger,
} from '../rule.types';

const TRIGGER_SCHEMA = {
  type: 'object' as const,
  additionalProperties: true,
  example: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
};
const CONDITIONS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: true,
  description: 'A condition `{field, op, value}` or a group `{all: [...]}`, `{any: [...]}`, `{not: {...}}`',
  example: { all: [{ field: 'lead.price', op: 'gt', value: 100000 }] },
};
const ACTIONS_SCHEMA = {
  type: 'array' as const,
  items: { type: 'object' as const },
  example: [{ type: 'move_stage', system: 'amocrm', pipelineId: 1, statusId: 2 }, { type: 'stop' }],
};

/** A rule as it stands now. */
export class RuleDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'VIP из Яндекса' })
  name!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'Lower runs first', example: 10 })
  priority!: number;

  @ApiProperty({ description: 'The current version number', example: 3 })
  version!: number;

  @ApiProperty({ example: 1 })
  schemaVersion!: number;

  @ApiProperty(TRIGGER_SCHEMA)
  trigger!: RuleTrigger;

  @ApiProperty(CONDITIONS_SCHEMA)
  conditions!: RuleConditionNode;

  @ApiProperty(ACTIONS_SCHEMA)
  actions!: RuleAction[];

  @ApiProperty({ type: String, nullable: true, description: 'Who made the current version' })
  updatedBy!: string | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;

  static from(rule: RuleEntity): RuleDto {
    const { schemaVersion, trigger, conditions, actions } = rule.document;
    return {
      id: rule.id,
      name: rule.name,
      enabled: rule.enabled,
      priority: rule.priority,
      version: rule.version,
      schemaVersion,
      trigger,
      conditions,
      actions,
      updatedBy: rule.updatedBy,
      createdAt: rule.createdAt.toISOString(),
      updatedAt: rule.updatedAt.toISOString(),
    };
  }
}

/** A rule in the list, with how often it fired on live events (dry runs and backtests never count). */
export class RuleListItemDto extends RuleDto {
  @ApiProperty({ type: String, nullable: true, description: 'When a live event last ran its actions' })
  lastFiredAt!: string | null;

  @ApiProperty({ description: 'Live event changes that ran its actions in the last 24 hours', example: 3 })
  matches24h!: number;
}

export class RulePageDto extends PageDto {
  @ApiProperty({ type: [RuleListItemDto] })
  items!: RuleListItemDto[];
}

/** One stored version of a rule. */
export class RuleVersionDto {
  @ApiProperty({ format: 'uuid' })
  ruleId!: string;

  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The rule as it was; null on the version that deleted it',
  })
  document!: RuleDocument | null;

  @ApiProperty({ description: 'The workspace settings version this change bumped to' })
  settingsVersion!: number;

  @ApiProperty({
    description:
      '`create`, `update`, `enable`, `disable`, `reorder`, `duplicate:<ruleId>`, `restore:<n>`, `import`, `delete`',
  })
  origin!: string;

  @ApiProperty({ type: String, nullable: true })
  createdBy!: string | null;

  @ApiProperty()
  createdAt!: string;

  static from(row: RuleVersionEntity): RuleVersionDto {
    return {
      ruleId: row.ruleId,
      version: row.version,
      document: row.document,
      settingsVersion: row.settingsVersion,
      origin: row.origin,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class RuleVersionPageDto extends PageDto {
  @ApiProperty({ type: [RuleVersionDto] })
  items!: RuleVersionDto[];
}

export class RuleChangeDto {
  @ApiProperty({ example: 'conditions.all[0].value' })
  path!: string;

  @ApiPropertyOptional({ description: 'Absent when added' })
  before?: unknown;

  @ApiPropertyOptional({ description: 'Absent when removed' })
  after?: unknown;
}

export class RuleDiffDto {
  @ApiProperty()
  from!: number;

  @ApiProperty()
  to!: number;

  @ApiProperty({ type: [RuleChangeDto] })
  changes!: RuleChange[];
}

export class RuleDiffQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Default: the version before `to`' })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: 'from must be a version number' })
  @Min(1, { message: 'from must be a version number' })
  @Max(1_000_000_000, { message: 'from must be a version number' })
  from?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Default: the current version' })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: 'to must be a version number' })
  @Min(1, { message: 'to must be a version number' })
  @Max(1_000_000_000, { message: 'to must be a version number' })
  to?: number;
}

export class RuleQueryDto extends PageQueryDto {}

export class ReorderRulesDto {
  @ApiProperty({ type: [String], description: 'Every rule of the workspace once, in the new running order' })
  @IsArray({ message: 'ids must be a list of rule ids' })
  @ArrayMaxSize(RULE_LIMITS.rulesPerWorkspace, {
    message: `ids may hold at most ${RULE_LIMITS.rulesPerWorkspace} ids`,
  })
  @IsUUID('all', { each: true, message: 'ids must hold rule ids (UUIDs)' })
  ids!: string[];
}

export class RuleSetDto {
  @ApiProperty({ example: 1 })
  schemaVersion!: number;

  @ApiProperty()
  exportedAt!: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'The rules in running order' })
  rules!: RuleDocument[];
}

export class RuleImportResultDto {
  @ApiProperty({ enum: ['append', 'replace'] })
  mode!: string;

  @ApiProperty({ description: 'Rules deleted first (replace)' })
  deleted!: number;

  @ApiProperty({ type: [RuleDto] })
  created!: RuleDto[];
}

export const RULE_BODY_SCHEMA = {
  type: 'object',
  required: ['name', 'trigger', 'actions'],
  properties: {
    name: { type: 'string', maxLength: RULE_LIMITS.nameLength },
    enabled: { type: 'boolean', default: true },
    priority: { type: 'integer', minimum: 0, description: 'Lower runs first; left out: after the last rule' },
    trigger: TRIGGER_SCHEMA,
    conditions: CONDITIONS_SCHEMA,
    actions: ACTIONS_SCHEMA,
  },
};

export class RuleCatalogDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: '`{ref, name, type, system, options: [{id, name}] | null}`',
  })
  fields!: RuleCatalogField[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'field type → the operators that fit it',
  })
  operators!: Record<RuleFieldType, readonly RuleOperator[]>;

  @ApiProperty({ type: [String] })
  sources!: readonly RuleSource[];

  @ApiProperty({ type: [String] })
  events!: readonly RuleEvent[];

  @ApiProperty({ type: [String] })
  actions!: readonly RuleActionType[];
}
