import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

export class CheckResultDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiProperty({ description: 'How long the check took, in milliseconds', example: 1.2 })
  latencyMs!: number;

  @ApiProperty({ required: false, description: 'Why the check failed' })
  error?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: CheckResultDto })
  database!: CheckResultDto;

  @ApiProperty({ type: CheckResultDto })
  redis!: CheckResultDto;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
