import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ImportProgressDto } from '../run/import-progress.dto';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageDto } from '../../http/pagination';
import { IMPORT_STATUSES, type ImportEntity, type ImportStatus } from '../import.entity';
import { IMPORT_KINDS, IMPORT_TARGETS, type ImportKind, type ImportTarget } from '../mapping/import-mapping';
import { IMPORT_FORMATS, type ImportFormat } from '../parsing/preview.types';
import type { SheetCell } from '../parsing/header-row';
import { ImportMappingViewDto } from './import-mapping.dto';

export class UploadQueryDto {
  @ApiPropertyOptional({ description: 'The sheet to preview (the first one when absent)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  sheet?: string;
}

export class PickSheetDto {
  @ApiProperty({ example: 'Лист2' })
  @IsString({ message: 'sheet must be a text' })
  @IsNotEmpty({ message: 'sheet must not be empty' })
  @MaxLength(255, { message: 'sheet must have at most 255 characters' })
  sheet!: string;
}

export class ImportColumnDto {
  @ApiProperty({ example: 0 })
  index!: number;

  @ApiProperty({ example: 'A' })
  letter!: string;

  @ApiProperty({ example: 'Телефон', description: 'The name the mapping uses (see the upload description)' })
  name!: string;
}

export class CsvOptionsDto {
  @ApiProperty({ enum: ['utf-8', 'windows-1251'] })
  encoding!: string;

  @ApiProperty({ enum: [';', ',', '\t', '|'] })
  delimiter!: string;
}

/** One line of the history. */
export class ImportSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: IMPORT_STATUSES })
  status!: ImportStatus;

  @ApiProperty({ example: 'leads.xlsx' })
  fileName!: string;

  @ApiProperty({ description: 'Bytes' })
  size!: number;

  @ApiProperty({ enum: IMPORT_FORMATS })
  format!: ImportFormat;

  @ApiProperty({ description: 'E-mail of the user or name of the API key that uploaded it' })
  uploadedBy!: string;

  @ApiProperty()
  uploadedAt!: Date;

  static from(entity: ImportEntity): ImportSummaryDto {
    return {
      id: entity.id,
      status: entity.status,
      fileName: entity.fileName,
      size: entity.sizeBytes,
      format: entity.format,
      uploadedBy: entity.uploadedBy,
      uploadedAt: entity.createdAt,
    };
  }
}

export class ImportDto extends ImportSummaryDto {
  @ApiProperty({ type: [String] })
  sheets!: string[];

  @ApiProperty()
  sheet!: string;

  @ApiProperty({ description: '0-based row of the header in the sheet (title lines above it are skipped)' })
  headerRow!: number;

  @ApiProperty({ type: [ImportColumnDto] })
  columns!: ImportColumnDto[];

  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: {} },
    description: 'The first rows after the header, one value per column (text, number, true/false or null)',
  })
  sampleRows!: SheetCell[][];

  @ApiProperty({ type: CsvOptionsDto, nullable: true })
  csv!: CsvOptionsDto | null;

  @ApiProperty({ type: ImportMappingViewDto, nullable: true })
  mapping!: ImportMappingViewDto | null;

  @ApiProperty({
    type: 'object',
    description: `Column mappings guessed from the header names, per kind (${IMPORT_KINDS.join(', ')}), for the mapping's target (amoCRM when none is saved)`,
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
  })
  suggestions!: Record<string, Record<string, string>>;

  @ApiPropertyOptional({
    type: ImportProgressDto,
    description: 'The background run (GET /imports/{id} only)',
  })
  progress?: ImportProgressDto;
}

/** One line of the history: the upload, what it imports, and what became of its rows so far. */
export class ImportHistoryItemDto extends ImportSummaryDto {
  @ApiProperty({ enum: IMPORT_KINDS, nullable: true, description: 'Null until a mapping is saved' })
  kind!: ImportKind | null;

  @ApiProperty({ enum: IMPORT_TARGETS, nullable: true })
  target!: ImportTarget | null;

  @ApiProperty({ description: 'A dry run: the counts say what would happen, nothing was written' })
  dryRun!: boolean;

  @ApiProperty({ description: 'Data rows read from the file (0 until the import is started)' })
  totalRows!: number;

  @ApiProperty()
  created!: number;

  @ApiProperty()
  updated!: number;

  @ApiProperty()
  skipped!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

export class ImportPageDto extends PageDto {
  @ApiProperty({ type: [ImportHistoryItemDto] })
  items!: ImportHistoryItemDto[];
}
