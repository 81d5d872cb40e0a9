import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { EventFilterDto } from './event-query.dto';

/**
 * How a replay applies the workspace's settings. Only `as_received` for now: no workspace setting changes how an
 * event is processed yet (the settings version recorded on each event stays 0), so "with the current settings"
 * would do exactly the same. `current_settings` comes back with field mappings and rules.
 */
export const REPLAY_MODES = ['as_received'] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];
const REPLAY_MODE_MESSAGE =
  'mode must be as_received: replaying with the current settings comes with field mappings and rules';

export class ReplayEventDto {
  @ApiPropertyOptional({
    enum: REPLAY_MODES,
    default: 'as_received',
    description: 'The event is processed again as it was received (the settings version stored with it)',
  })
  @IsOptional()
  @IsIn(REPLAY_MODES, { message: REPLAY_MODE_MESSAGE })
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
  @IsIn(REPLAY_MODES, { message: REPLAY_MODE_MESSAGE })
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
