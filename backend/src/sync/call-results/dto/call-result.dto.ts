import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../../http/pagination';
import type { CallResultEntity } from '../call-result.entity';
import {
  CALL_DIRECTIONS,
  CALL_LIMITS,
  CALL_RESULTS,
  CALL_SOURCES,
  type CallDirection,
  type CallResult,
  type CallRowOutcome,
  type CallSource,
} from '../call-result.types';
import type { CallGroup, CallTotals } from '../call-results.repository';

/** The filter of the list and the summary. */
export class CallResultFilterDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Started at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be a date, e.g. 2026-11-01T00:00:00Z' })
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Started at or before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be a date, e.g. 2026-11-30T23:59:59Z' })
  to?: Date;

  @ApiPropertyOptional({ example: '+79161234567', description: 'Any form; compared as E.164' })
  @IsOptional()
  @IsString()
  @MaxLength(CALL_LIMITS.phone)
  phone?: string;

  @ApiPropertyOptional({ enum: CALL_RESULTS })
  @IsOptional()
  @IsIn(CALL_RESULTS, { message: `result must be one of ${CALL_RESULTS.join(', ')}` })
  result?: CallResult;

  @ApiPropertyOptional({ description: 'The operator exactly as stored (name or id)' })
  @IsOptional()
  @IsString()
  @MaxLength(CALL_LIMITS.operator)
  operator?: string;

  @ApiPropertyOptional({ enum: CALL_DIRECTIONS })
  @IsOptional()
  @IsIn(CALL_DIRECTIONS, { message: `direction must be one of ${CALL_DIRECTIONS.join(', ')}` })
  direction?: CallDirection;

  @ApiPropertyOptional({ enum: CALL_SOURCES })
  @IsOptional()
  @IsIn(CALL_SOURCES, { message: `source must be one of ${CALL_SOURCES.join(', ')}` })
  source?: CallSource;
}

export class CallResultQueryDto extends IntersectionType(PageQueryDto, CallResultFilterDto) {}

export const SUMMARY_GROUPS = ['day', 'operator'] as const;

export class CallSummaryQueryDto extends CallResultFilterDto {
  @ApiPropertyOptional({ enum: SUMMARY_GROUPS, default: 'day', description: 'Days are UTC days' })
  @IsOptional()
  @IsIn(SUMMARY_GROUPS, { message: 'groupBy must be day or operator' })
  groupBy: 'day' | 'operator' = 'day';
}

export class CallResultDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: '+79161234567' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Mirror contact id' })
  contactId!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  amocrmContactId!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Mirror lead id' })
  leadId!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  amocrmLeadId!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  lptrackerLeadId!: number | null;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty()
  durationSeconds!: number;

  @ApiProperty({ enum: CALL_DIRECTIONS })
  direction!: CallDirection;

  @ApiProperty({ enum: CALL_RESULTS })
  result!: CallResult;

  @ApiProperty({ type: String, nullable: true })
  recordingUrl!: string | null;

  @ApiProperty({ type: String, nullable: true })
  operator!: string | null;

  @ApiProperty({ enum: CALL_SOURCES })
  source!: CallSource;

  @ApiProperty({ type: String, nullable: true })
  sourceId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(call: CallResultEntity): CallResultDto {
    return {
      id: call.id,
      phone: call.phone,
      contactId: call.contactId,
      amocrmContactId: call.amocrmContactId,
      leadId: call.leadId,
      amocrmLeadId: call.amocrmLeadId,
      lptrackerLeadId: call.lptrackerLeadId,
      startedAt: call.startedAt.toISOString(),
      durationSeconds: call.durationSeconds,
      direction: call.direction,
      result: call.result,
      recordingUrl: call.recordingUrl,
      operator: call.operator,
      source: call.source,
      sourceId: call.sourceId,
      createdAt: call.createdAt.toISOString(),
    };
  }
}

export class CallTotalsDto {
  @ApiProperty({ description: 'Calls the filters keep' })
  count!: number;

  @ApiProperty()
  answered!: number;

  @ApiProperty({ description: 'Unanswered: missed, busy or failed' })
  missed!: number;

  @ApiProperty({ description: 'Sum of the durations, seconds' })
  durationSeconds!: number;

  static from(totals: CallTotals): CallTotalsDto {
    return { ...totals };
  }
}

export class CallResultPageDto extends PageDto {
  @ApiProperty({ type: [CallResultDto] })
  items!: CallResultDto[];

  @ApiProperty({ type: CallTotalsDto, description: 'Over every call the filters keep, not only this page' })
  totals!: CallTotalsDto;
}

export class CallGroupDto extends CallTotalsDto {
  @ApiProperty({ description: 'The UTC day (YYYY-MM-DD) or the operator ("" for calls without one)' })
  key!: string;

  static fromGroup(group: CallGroup): CallGroupDto {
    return { ...group };
  }
}

export class CallSummaryDto {
  @ApiProperty({ enum: SUMMARY_GROUPS })
  groupBy!: 'day' | 'operator';

  @ApiProperty({ type: [CallGroupDto], description: 'Days in order; operators with the most calls first' })
  groups!: CallGroupDto[];
}

export class CallRowOutcomeDto {
  @ApiProperty({ description: 'Position of the row in `rows`' })
  index!: number;

  @ApiProperty({ enum: ['created', 'duplicate'] })
  outcome!: 'created' | 'duplicate';

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The stored call (the earlier one for a duplicate)',
  })
  id!: string | null;
}

export class CallRecordResultDto {
  @ApiProperty()
  created!: number;

  @ApiProperty({ description: 'Rows skipped: the call is stored already (or repeats in the batch)' })
  duplicates!: number;

  @ApiProperty({ type: [CallRowOutcomeDto] })
  rows!: CallRowOutcomeDto[];

  static from(rows: CallRowOutcome[]): CallRecordResultDto {
    const kept = rows.flatMap((row) =>
      row.outcome === 'invalid' ? [] : [{ index: row.index, outcome: row.outcome, id: row.id }],
    );
    return {
      created: kept.filter((row) => row.outcome === 'created').length,
      duplicates: kept.filter((row) => row.outcome === 'duplicate').length,
      rows: kept,
    };
  }
}
