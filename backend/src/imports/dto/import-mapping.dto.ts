import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  DEDUPE_POLICIES,
  IMPORT_KINDS,
  IMPORT_TARGETS,
  type DedupePolicy,
  type ImportKind,
  type ImportMapping,
  type ImportTarget,
} from '../mapping/import-mapping';
import { IsColumnMap } from './column-map.validator';

const COLUMNS_DESCRIPTION =
  'Column name (as in `columns[].name` of the import) → field: `contact.name`, `contact.phone`, `contact.email`, ' +
  '`contact.custom.<id>` (amoCRM) / `contact.field.<id>` (LPTracker), `lead.name`, `lead.price`, `lead.tags`, ' +
  '`lead.responsible`, `lead.status`, `lead.custom.<id>`; LPTracker leads: `lead.stage`, `lead.owner`, ' +
  '`view.source`…; call results: `call.phone`, `call.started_at`, `call.duration`, `call.direction`, ' +
  '`call.result`, `call.recording_url`, `call.operator`, `call.source_id`. Columns not listed are not imported.';

/** `PUT /api/v1/imports/:id/mapping` and the body of a template. */
export class ImportMappingDto {
  @ApiProperty({ enum: IMPORT_KINDS })
  @IsIn(IMPORT_KINDS, { message: `kind must be one of ${IMPORT_KINDS.join(', ')}` })
  kind!: ImportKind;

  @ApiPropertyOptional({ enum: IMPORT_TARGETS, default: 'amocrm' })
  @IsOptional()
  @IsIn(IMPORT_TARGETS, { message: `target must be one of ${IMPORT_TARGETS.join(', ')}` })
  target?: ImportTarget;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Телефон: 'contact.phone', Имя: 'contact.name' },
    description: COLUMNS_DESCRIPTION,
  })
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.columns)
  @IsColumnMap()
  columns!: Record<string, string>;

  @ApiProperty({
    enum: DEDUPE_POLICIES,
    description: 'A row whose phone/e-mail already exists: skip it, update the record, or create another',
  })
  @IsIn(DEDUPE_POLICIES, { message: `dedupe must be one of ${DEDUPE_POLICIES.join(', ')}` })
  dedupe!: DedupePolicy;

  @ApiPropertyOptional({ default: false, description: 'Report what would happen per row, write nothing' })
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    example: 1001,
    description:
      'Target lptracker: the enabled LPTracker project the leads go to (GET /api/v1/imports/lptracker/projects); ' +
      'required when several projects are enabled, else the one enabled project is used',
  })
  @IsOptional()
  @IsInt({ message: 'projectId must be a whole number (an LPTracker project id)' })
  @Min(1, { message: 'projectId must be a positive LPTracker project id' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'projectId is too large for an LPTracker project id' })
  projectId?: number | null;
}

export class CreateImportTemplateDto extends ImportMappingDto {
  @ApiProperty({ example: 'Выгрузка из Яндекс Директа', maxLength: 100 })
  @IsString({ message: 'name must be a text' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(100, { message: 'name must have at most 100 characters' })
  name!: string;
}

export class ImportMappingViewDto {
  @ApiProperty({ enum: IMPORT_KINDS })
  kind!: ImportKind;

  @ApiProperty({ enum: IMPORT_TARGETS })
  target!: ImportTarget;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  columns!: Record<string, string>;

  @ApiProperty({ enum: DEDUPE_POLICIES })
  dedupe!: DedupePolicy;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Target lptracker: the chosen project' })
  projectId!: number | null;

  static from(mapping: ImportMapping): ImportMappingViewDto {
    return {
      kind: mapping.kind,
      target: mapping.target,
      columns: Object.fromEntries(mapping.columns.map(({ column, field }) => [column, field])),
      dedupe: mapping.dedupe,
      dryRun: mapping.dryRun,
      projectId: mapping.projectId ?? null,
    };
  }
}

export class ImportTemplateDto extends ImportMappingViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'Who saved it' })
  createdBy!: string;

  @ApiProperty()
  createdAt!: Date;
}
