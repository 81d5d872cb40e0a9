import { ApiProperty } from '@nestjs/swagger';

/** The answer to a webhook delivery. */
export class WebhookAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'The stored event' })
  id!: string;

  @ApiProperty({
    enum: ['accepted', 'empty'],
    description:
      'accepted: stored and queued (a repeated delivery too: its run ends skipped/duplicate without processing ' +
      'anything again); empty: the body carried no change (stored as skipped)',
  })
  status!: string;
}
