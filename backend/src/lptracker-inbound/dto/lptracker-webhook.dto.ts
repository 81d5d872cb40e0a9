import { ApiProperty } from '@nestjs/swagger';

export class LptrackerProjectCallbackDto {
  @ApiProperty({ example: 101 })
  projectId!: number;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: "Our URL is among the project's callbacks (null: LPTracker could not be asked)",
  })
  registered!: boolean | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Other callbacks the project keeps (never touched)',
  })
  others!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why LPTracker could not be asked' })
  error!: string | null;
}

export class LptrackerWebhookDto {
  @ApiProperty({
    example: 'https://crm-sync.example.com/webhooks/lptracker/3q2-…',
    description: 'The URL LPTracker calls; the secret in it is shown to admins only (masked for other roles)',
  })
  url!: string;

  @ApiProperty({
    description: 'An admin registered the callback: enabled projects (and projects enabled later) get it',
  })
  wanted!: boolean;

  @ApiProperty({ type: [LptrackerProjectCallbackDto] })
  projects!: LptrackerProjectCallbackDto[];

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastReceivedAt!: string | null;
}

export class LptrackerRotatedSecretDto {
  @ApiProperty({ description: 'The new URL; the old one stops working within seconds' })
  url!: string;

  @ApiProperty({
    enum: ['moved', 'not_subscribed', 'failed'],
    description: 'moved: every enabled project now calls the new URL; failed: register again (see detail)',
  })
  subscription!: 'moved' | 'not_subscribed' | 'failed';

  @ApiProperty({ type: String, nullable: true })
  detail!: string | null;
}
