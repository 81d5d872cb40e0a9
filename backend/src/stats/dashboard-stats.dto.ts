import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const FLOW_RANGES = ['24h', '7d'] as const;
export type FlowRange = (typeof FLOW_RANGES)[number];
export const FLOW_BUCKETS = ['hour', 'day'] as const;
export type FlowBucket = (typeof FLOW_BUCKETS)[number];

export class FlowQueryDto {
  @ApiPropertyOptional({ enum: FLOW_RANGES, default: '24h' })
  @IsOptional()
  @IsIn(FLOW_RANGES, { message: `range must be one of ${FLOW_RANGES.join(', ')}` })
  range?: FlowRange;

  @ApiPropertyOptional({ enum: FLOW_BUCKETS, description: 'hour for 24h, day for 7d unless given' })
  @IsOptional()
  @IsIn(FLOW_BUCKETS, { message: `bucket must be one of ${FLOW_BUCKETS.join(', ')}` })
  bucket?: FlowBucket;
}

export class FlowBucketDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket (UTC)' })
  start!: string;
  @ApiProperty({ description: 'Processed on the first run' })
  done!: number;
  @ApiProperty()
  skipped!: number;
  @ApiProperty({
    description:
      'Of the skipped: filtered (an update touching nothing an enabled rule or mapping watches; nothing was sent)',
  })
  filtered!: number;
  @ApiProperty({ description: 'Needed more than one run (done in the end, or still waiting for a retry)' })
  retried!: number;
  @ApiProperty({ description: 'Dead letter' })
  failed!: number;
}

export class FlowDto {
  @ApiProperty({ enum: FLOW_RANGES })
  range!: FlowRange;
  @ApiProperty({ enum: FLOW_BUCKETS })
  bucket!: FlowBucket;
  @ApiProperty({ type: [FlowBucketDto], description: 'Oldest first, by when the event was received' })
  buckets!: FlowBucketDto[];
  @ApiProperty({ description: 'Events skipped as filtered over the whole range (the sum of the buckets)' })
  filtered!: number;
}

export class RateDto {
  @ApiProperty({ description: 'Average per second over the last 24 hours' })
  average!: number;
  @ApiProperty({ description: 'Per second in the busiest minute of the last 24 hours' })
  peak!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  peakAt!: string | null;
  @ApiProperty({ description: 'Count over the last 24 hours' })
  total!: number;
}

export const CAPACITY_ADVICE = ['ok', 'watch', 'add_worker', 'tell_platform_admin'] as const;
export type CapacityAdvice = (typeof CAPACITY_ADVICE)[number];
export const CAPACITY_SCOPES = ['installation', 'workspace'] as const;
export type CapacityScope = (typeof CAPACITY_SCOPES)[number];

export class CapacityDto {
  @ApiProperty({
    enum: CAPACITY_SCOPES,
    description:
      "installation: every workspace together (the platform super-admin); workspace: the caller's workspace only",
  })
  scope!: CapacityScope;
  @ApiProperty({ type: RateDto, description: 'Webhooks received' })
  webhooks!: RateDto;
  @ApiProperty({ type: RateDto, description: 'Events finished processing' })
  events!: RateDto;
  @ApiProperty({ description: 'Unfinished events now' })
  backlog!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest unfinished event, seconds' })
  lagSeconds!: number | null;
  @ApiProperty({ description: 'Received minus finished over the last 15 minutes (> 0: the queue grows)' })
  growth!: number;
  @ApiProperty({
    enum: CAPACITY_ADVICE,
    description:
      'add_worker (the queue grows) only for the installation; a workspace whose queue grows gets tell_platform_admin',
  })
  advice!: CapacityAdvice;
}

export class FunnelStageDto {
  @ApiProperty()
  id!: number;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  count!: number;
}

export class FunnelPipelineDto {
  @ApiProperty()
  id!: number;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: [FunnelStageDto], description: 'In the pipeline order' })
  stages!: FunnelStageDto[];
}

export class FunnelDto {
  @ApiProperty({ type: [FunnelPipelineDto] })
  pipelines!: FunnelPipelineDto[];
}

export class LaneAverageDto {
  @ApiProperty()
  interactive!: number;
  @ApiProperty()
  sync!: number;
  @ApiProperty()
  import!: number;
}

export class LaneMinuteDto {
  @ApiProperty({ format: 'date-time' })
  minute!: string;
  @ApiProperty({ type: LaneAverageDto, description: 'Requests granted in the minute, by lane' })
  count!: LaneAverageDto;
  @ApiProperty({ type: LaneAverageDto, description: 'Average requests per second in the minute, by lane' })
  average!: LaneAverageDto;
  @ApiProperty({ description: 'The busiest second of the minute, all lanes' })
  peak!: number;
}

export class AmocrmRateDto {
  @ApiProperty({ description: 'Requests per second amoCRM allows for the account' })
  budget!: number;
  @ApiProperty({
    type: [LaneMinuteDto],
    description: 'Last 60 minutes, oldest first; empty when not connected',
  })
  minutes!: LaneMinuteDto[];
}

export const CHECKLIST_STEPS = ['amocrm', 'webhooks', 'lptracker', 'mapping', 'testLead'] as const;
export type ChecklistStep = (typeof CHECKLIST_STEPS)[number];

export class ChecklistStepDto {
  @ApiProperty({ enum: CHECKLIST_STEPS })
  step!: ChecklistStep;
  @ApiProperty()
  done!: boolean;
}

export class ChecklistDto {
  @ApiProperty({ type: [ChecklistStepDto], description: 'In the order to take them' })
  steps!: ChecklistStepDto[];
  @ApiProperty({ description: 'Every step done: the console hides the list' })
  complete!: boolean;
}
