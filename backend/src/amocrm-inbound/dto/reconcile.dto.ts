import { ApiProperty } from '@nestjs/swagger';
import type { ReconcileCounts } from '../amocrm-reconcile-state.entity';
import type { ReconcileStatus } from '../reconcile.service';

export class ReconcileCountsDto {
  @ApiProperty({ example: 12, description: 'Entities amoCRM listed as changed since the watermark' })
  seen!: number;

  @ApiProperty({
    example: 2,
    description: 'Fed to the inbox as `reconcile` events (the mirror lacked that version)',
  })
  queued!: number;

  @ApiProperty({ example: 10, description: 'Already in the mirror at that version (a webhook brought it)' })
  upToDate!: number;

  static from(counts: ReconcileCounts | null): ReconcileCountsDto | null {
    return counts ? { seen: counts.seen, queued: counts.queued, upToDate: counts.upToDate } : null;
  }
}

/** The reconciliation of the workspace with amoCRM: the last pass and whether one is running. */
export class ReconcileStatusDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the last pass started',
  })
  lastRunAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a pass last finished without error (the watermark moved)',
  })
  lastSuccessAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The last pass read what changed in amoCRM from this time on',
  })
  since!: string | null;

  @ApiProperty({ type: ReconcileCountsDto, nullable: true, description: 'Contacts of the last pass' })
  contacts!: ReconcileCountsDto | null;

  @ApiProperty({ type: ReconcileCountsDto, nullable: true, description: 'Leads of the last pass' })
  leads!: ReconcileCountsDto | null;

  @ApiProperty({ description: 'A pass is running now' })
  running!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the last pass failed (in English), if it did',
  })
  lastError!: string | null;

  static from(status: ReconcileStatus): ReconcileStatusDto {
    return {
      lastRunAt: status.lastRunAt?.toISOString() ?? null,
      lastSuccessAt: status.lastSuccessAt?.toISOString() ?? null,
      since: status.since?.toISOString() ?? null,
      contacts: ReconcileCountsDto.from(status.contacts),
      leads: ReconcileCountsDto.from(status.leads),
      running: status.running,
      lastError: status.lastError,
    };
  }
}

export class ReconcileQueuedDto {
  @ApiProperty({ example: true })
  queued!: true;
}
