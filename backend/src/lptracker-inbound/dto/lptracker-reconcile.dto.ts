import { ApiProperty } from '@nestjs/swagger';
import type { LptrackerReconcileStateEntity } from '../reconcile/lptracker-reconcile-state.entity';

export class LptrackerReconcileCountsDto {
  @ApiProperty({ description: 'Leads LPTracker listed as updated since the watermark' })
  seen!: number;

  @ApiProperty({ description: 'Pages fed to the inbox (source lptracker-reconcile)' })
  pages!: number;
}

export class LptrackerReconcileStatusDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Unix seconds the next pass reads from (minus an overlap)',
  })
  watermark!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds the last pass read from' })
  lastSince!: number | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  runStartedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  runFinishedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastSuccessAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: LptrackerReconcileCountsDto, nullable: true })
  counts!: LptrackerReconcileCountsDto | null;

  static from(state: LptrackerReconcileStateEntity | null): LptrackerReconcileStatusDto {
    return {
      watermark: state?.watermark ?? null,
      lastSince: state?.lastSince ?? null,
      runStartedAt: state?.runStartedAt?.toISOString() ?? null,
      runFinishedAt: state?.runFinishedAt?.toISOString() ?? null,
      lastSuccessAt: state?.lastSuccessAt?.toISOString() ?? null,
      lastError: state?.lastError ?? null,
      counts: state?.counts ?? null,
    };
  }
}
