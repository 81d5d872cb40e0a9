import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';

/** Events amoCRM can send to a webhook (leads and contacts are what the integration processes). */
export const AMOCRM_WEBHOOK_EVENTS = [
  'add_lead',
  'update_lead',
  'status_lead',
  'delete_lead',
  'restore_lead',
  'responsible_lead',
  'note_lead',
  'add_contact',
  'update_contact',
  'delete_contact',
  'restore_contact',
  'responsible_contact',
  'note_contact',
] as const;

export class WebhookDriftDto {
  @ApiProperty({ type: [String], description: 'Events we expect but amoCRM does not send to this URL' })
  missing!: string[];

  @ApiProperty({ type: [String], description: 'Events amoCRM sends to this URL that we did not subscribe' })
  unexpected!: string[];

  @ApiProperty({
    type: [String],
    description: 'Other URLs of this installation registered in amoCRM (e.g. an old secret)',
  })
  staleDestinations!: string[];
}

export class AmocrmWebhookDto {
  @ApiProperty({
    example: 'https://crm-sync.example.com/webhooks/amocrm/3q2-…',
    description: 'The full URL amoCRM must call',
  })
  url!: string;

  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'Events subscribed through this service (null: never)',
  })
  events!: string[] | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Whether amoCRM has this URL registered (null: not known, e.g. no amoCRM connection)',
  })
  registered!: boolean | null;

  @ApiProperty({
    type: WebhookDriftDto,
    nullable: true,
    description: 'Differences between what we expect and what amoCRM has',
  })
  drift!: WebhookDriftDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why `registered`/`drift` are unknown' })
  registrationUnknownReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastReceivedAt!: string | null;
}

export class RotatedSecretDto {
  @ApiProperty({ description: 'The new URL; the old one stops working within seconds' })
  url!: string;

  @ApiProperty({
    enum: ['moved', 'not_subscribed', 'failed'],
    description: 'moved: amoCRM now calls the new URL; failed: subscribe again (see detail)',
  })
  subscription!: 'moved' | 'not_subscribed' | 'failed';

  @ApiProperty({ type: String, nullable: true })
  detail!: string | null;
}

export class SubscribeWebhookDto {
  @ApiProperty({
    enum: AMOCRM_WEBHOOK_EVENTS,
    isArray: true,
    example: ['add_lead', 'status_lead', 'update_contact'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AMOCRM_WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(AMOCRM_WEBHOOK_EVENTS, {
    each: true,
    message: `each event must be one of ${AMOCRM_WEBHOOK_EVENTS.join(', ')}`,
  })
  events!: string[];
}
