import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CALL_DIRECTIONS,
  CALL_LIMITS,
  CALL_RESULTS,
  type CallDirection,
  type CallResult,
} from '../call-result.types';

/** Rows one `POST /api/v1/call-results` takes at most. */
export const MAX_CALLS_PER_REQUEST = 1_000;

/** One finished call sent by a client app. */
export class CallResultRowDto {
  @ApiProperty({ example: '+7 916 123-45-67', maxLength: CALL_LIMITS.phone, description: 'Stored as E.164' })
  @IsString({ message: 'phone must be text' })
  @MaxLength(CALL_LIMITS.phone)
  phone!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00Z' })
  @IsISO8601({ strict: true }, { message: 'startedAt must be a date and time in ISO 8601' })
  startedAt!: string;

  @ApiProperty({ minimum: 0, maximum: CALL_LIMITS.durationSeconds, example: 74 })
  @IsInt({ message: 'durationSeconds must be a whole number' })
  @Min(0)
  @Max(CALL_LIMITS.durationSeconds)
  durationSeconds!: number;

  @ApiProperty({ enum: CALL_DIRECTIONS })
  @IsIn(CALL_DIRECTIONS, { message: `direction must be one of ${CALL_DIRECTIONS.join(', ')}` })
  direction!: CallDirection;

  @ApiProperty({ enum: CALL_RESULTS, description: 'missed, busy and failed count as unanswered' })
  @IsIn(CALL_RESULTS, { message: `result must be one of ${CALL_RESULTS.join(', ')}` })
  result!: CallResult;

  @ApiPropertyOptional({ maxLength: CALL_LIMITS.recordingUrl, example: 'https://records.example/1.mp3' })
  @IsOptional()
  @IsString({ message: 'recordingUrl must be text' })
  @MaxLength(CALL_LIMITS.recordingUrl)
  recordingUrl?: string;

  @ApiPropertyOptional({ maxLength: CALL_LIMITS.operator, example: 'Анна', description: 'Name or id' })
  @IsOptional()
  @IsString({ message: 'operator must be text' })
  @MaxLength(CALL_LIMITS.operator)
  operator?: string;

  @ApiPropertyOptional({
    maxLength: CALL_LIMITS.sourceId,
    description: 'Your id of the call: repeats with the same id are skipped (else by phone, start, operator)',
  })
  @IsOptional()
  @IsString({ message: 'sourceId must be text' })
  @MaxLength(CALL_LIMITS.sourceId)
  sourceId?: string;

  @ApiPropertyOptional({
    minimum: 1,
    description: 'LPTracker lead the call belongs to (links its amoCRM lead)',
  })
  @IsOptional()
  @IsInt({ message: 'lptrackerLeadId must be a whole number' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  lptrackerLeadId?: number;
}

export class RecordCallResultsDto {
  @ApiProperty({ type: [CallResultRowDto], minItems: 1, maxItems: MAX_CALLS_PER_REQUEST })
  @IsArray({ message: 'rows must be a list' })
  @ArrayMinSize(1, { message: 'rows must hold at least one call' })
  @ArrayMaxSize(MAX_CALLS_PER_REQUEST, {
    message: `rows must hold at most ${MAX_CALLS_PER_REQUEST} calls per request`,
  })
  @ValidateNested({ each: true })
  @Type(() => CallResultRowDto)
  rows!: CallResultRowDto[];
}
