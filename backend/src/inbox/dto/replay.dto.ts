import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { EventFilterDto } from './event-query.dto';

export const REPLAY_MODES = ['as_received', 'current_settings'] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];

export class ReplayEventDto {
  @ApiPropertyOptional({
    enum: REPLAY_MODES,
    default: 'as_received',
    description: 'Apply the mappings and rules as they were when the event arrived, or as they are now',
  })
  @IsOptional()
  @IsIn(REPLAY_MODES, { message: 'mode must be as_received or current_settings' })
  mode: ReplayMode = 'as_received';
}

export class BulkReplayDto {
  @ApiPropertyOptional({
    type: EventFilterDto,
    description: 'Which events; without a status only failed events are replayed',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventFilterDto)
  filter: EventFilterDto = new EventFilterDto();

  @ApiPropertyOptional({ enum: REPLAY_MODES, default: 'as_received' })
  @IsOptional()
  @IsIn(REPLAY_MODES, { message: 'mode must be as_received or current_settings' })
  mode: ReplayMode = 'as_received';
}

export class ReplayResultDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'queued' })
  status!: 'queued';
}

export class BulkReplayResultDto {
  @ApiProperty({
    example: 120,
    description: 'Events matching the filter now; they are queued in the background',
  })
  count!: number;
}
