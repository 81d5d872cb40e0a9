import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageDto } from '../../../http/pagination';
import type { MappingCatalog } from '../mapping-catalog';
import type { MappingSummary } from '../mappings.service';
import {
  MAPPING_DIRECTIONS,
  type MappingDirection,
  type MappingDocument,
  type MappingLine,
  type MappingProblem,
  type MappingVersionView,
  type StageMapEntry,
  type UserMapEntry,
} from '../mapping.types';

export class MappingTransformDto {
  @ApiProperty({
    enum: ['none', 'trim', 'phone', 'lowercase', 'number', 'date', 'enum_map', 'constant', 'template'],
  })
  type!: string;

  @ApiPropertyOptional({
    description: 'date: `unix`, `unix_ms`, `iso` or a pattern such as `DD.MM.YYYY HH:mm`',
  })
  format?: string;

  @ApiPropertyOptional({
    description: 'enum_map: `[{from, to}]`, at most 500 rows',
    type: 'array',
    items: { type: 'object' },
  })
  map?: { from: string; to: number | string }[];

  @ApiPropertyOptional({
    description: 'constant: the value written',
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
  })
  value?: string | number | boolean;

  @ApiPropertyOptional({ description: 'template: `{contact.name} — {view.source}`, at most 1000 characters' })
  template?: string;
}

export class MappingLineDto implements MappingLine {
  @ApiProperty({ type: String, nullable: true, example: 'view.source' })
  source!: string | null;

  @ApiProperty({ example: 'lead.custom.600' })
  target!: string;

  @ApiProperty({ type: MappingTransformDto })
  transform!: MappingLine['transform'];
}

export class StageMapEntryDto implements StageMapEntry {
  @ApiProperty() lptrackerStageId!: number;
  @ApiProperty() amocrmPipelineId!: number;
  @ApiProperty() amocrmStatusId!: number;
}

export class UserMapEntryDto implements UserMapEntry {
  @ApiProperty() lptrackerOwnerId!: number;
  @ApiProperty() amocrmUserId!: number;
}

/** The request body of PUT (validated by the mappings service, which names each wrong path). */
export class MappingDocumentDto implements MappingDocument {
  @ApiProperty({ type: [MappingLineDto], maxItems: 200 })
  lines!: MappingLine[];

  @ApiProperty({ type: Number, nullable: true })
  pipelineId!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  statusId!: number | null;

  @ApiProperty({ enum: ['lead', 'unsorted'] })
  createAs!: 'lead' | 'unsorted';

  @ApiProperty({ type: [StageMapEntryDto], maxItems: 500 })
  stageMap!: StageMapEntry[];

  @ApiProperty({ type: [UserMapEntryDto], maxItems: 500 })
  userMap!: UserMapEntry[];
}

export class MappingProblemDto implements MappingProblem {
  @ApiProperty({ example: 'lines[3].target' }) path!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ example: 'fieldMissing' }) code!: string;
}

export class MappingVersionDto {
  @ApiProperty() projectId!: number;
  @ApiProperty({ enum: MAPPING_DIRECTIONS }) direction!: MappingDirection;
  @ApiProperty() version!: number;
  @ApiProperty({ type: MappingDocumentDto }) document!: MappingDocument;
  @ApiProperty() settingsVersion!: number;
  @ApiProperty({ type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ example: 'save', description: '`default`, `save` or `restore:<n>`' }) origin!: string;

  static from(view: MappingVersionView): MappingVersionDto {
    const dto = new MappingVersionDto();
    Object.assign(dto, {
      projectId: view.projectId,
      direction: view.direction,
      version: view.version,
      document: view.document,
      settingsVersion: view.settingsVersion,
      createdBy: view.createdBy,
      createdAt: view.createdAt,
      origin: view.origin,
    });
    return dto;
  }
}

export class MappingWithProblemsDto extends MappingVersionDto {
  @ApiProperty({ type: [MappingProblemDto] }) problems!: MappingProblem[];

  static withProblems(view: MappingVersionView & { problems: MappingProblem[] }): MappingWithProblemsDto {
    return Object.assign(new MappingWithProblemsDto(), MappingVersionDto.from(view), {
      problems: view.problems,
    });
  }
}

export class MappingSummaryDto {
  @ApiProperty() projectId!: number;
  @ApiProperty() projectName!: string;
  @ApiProperty({ enum: MAPPING_DIRECTIONS }) direction!: MappingDirection;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
  @ApiProperty({ type: [MappingProblemDto] }) problems!: MappingProblem[];

  static from(summary: MappingSummary): MappingSummaryDto {
    return Object.assign(new MappingSummaryDto(), {
      projectId: summary.projectId,
      projectName: summary.projectName,
      direction: summary.direction,
      version: summary.version,
      updatedAt: summary.updatedAt,
      updatedBy: summary.updatedBy,
      problems: summary.problems,
    });
  }
}

export class MappingListDto {
  @ApiProperty({ type: [MappingSummaryDto] }) items!: MappingSummaryDto[];
}

export class MappingVersionPageDto extends PageDto {
  @ApiProperty({ type: [MappingVersionDto] }) items!: MappingVersionDto[];
}

export class MappingCatalogDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '`{ref, name, type, options?}`' })
  lptracker!: MappingCatalog['lptracker'];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: '`{ref, name, type, entity, options?: [{id, value}]}`',
  })
  amocrm!: MappingCatalog['amocrm'];
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  lptrackerStages!: MappingCatalog['lptrackerStages'];
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  amocrmPipelines!: MappingCatalog['amocrmPipelines'];
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  lptrackerStaff!: MappingCatalog['lptrackerStaff'];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) amocrmUsers!: MappingCatalog['amocrmUsers'];

  static from(catalog: MappingCatalog): MappingCatalogDto {
    return Object.assign(new MappingCatalogDto(), {
      lptracker: catalog.lptracker,
      amocrm: catalog.amocrm,
      lptrackerStages: catalog.lptrackerStages,
      amocrmPipelines: catalog.amocrmPipelines,
      lptrackerStaff: catalog.lptrackerStaff,
      amocrmUsers: catalog.amocrmUsers,
    });
  }
}
