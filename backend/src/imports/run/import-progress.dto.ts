import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_STATUSES, type ImportStatus } from '../import.entity';
import type { ImportProgress } from './import-runs.service';

/** The persisted progress of an import's run. */
export class ImportProgressDto {
  @ApiProperty({ enum: IMPORT_STATUSES })
  status!: ImportStatus;

  @ApiProperty({ description: 'A dry run: the counts say what would happen, nothing is written' })
  dryRun!: boolean;

  @ApiProperty({ description: 'Data rows read from the file so far (final once staged is true)' })
  totalRows!: number;

  @ApiProperty()
  staged!: boolean;

  @ApiProperty()
  processed!: number;

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

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Expected end at the pace so far',
  })
  eta!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the import failed as a whole, in Russian' })
  error!: string | null;

  static from(progress: ImportProgress): ImportProgressDto {
    return {
      ...progress,
      startedAt: progress.startedAt?.toISOString() ?? null,
      finishedAt: progress.finishedAt?.toISOString() ?? null,
      eta: progress.eta?.toISOString() ?? null,
    };
  }
}
