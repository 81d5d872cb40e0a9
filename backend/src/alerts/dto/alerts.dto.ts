import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageDto } from '../../http/pagination';
import { ALERT_CONDITIONS, type AlertConditionId } from '../alert-conditions';
import type { AlertDelivery, AlertEntity, AlertState } from '../alert.entity';
import type { AlertSettingsView } from '../alerts.service';

const SWITCH = (what: string) => ({ description: `Alert when ${what}`, type: Boolean });

/** `PUT /api/v1/alerts/settings`: only the fields given change. */
export class UpdateAlertSettingsDto {
  @ApiPropertyOptional(SWITCH('the amoCRM connection needs re-authorisation or is paused (402/403)'))
  @IsOptional()
  @IsBoolean({ message: 'amocrmConnection must be true or false' })
  amocrmConnection?: boolean;

  @ApiPropertyOptional(SWITCH('the LPTracker connection needs re-authorisation'))
  @IsOptional()
  @IsBoolean({ message: 'lptrackerConnection must be true or false' })
  lptrackerConnection?: boolean;

  @ApiPropertyOptional(SWITCH('the amoCRM webhook subscription is missing or lacks events'))
  @IsOptional()
  @IsBoolean({ message: 'amocrmWebhook must be true or false' })
  amocrmWebhook?: boolean;

  @ApiPropertyOptional(SWITCH('events are in the dead letter (failed)'))
  @IsOptional()
  @IsBoolean({ message: 'deadLetter must be true or false' })
  deadLetter?: boolean;

  @ApiPropertyOptional({
    description: 'Failed events that raise the alert (default 1)',
    minimum: 1,
    maximum: 100000,
  })
  @IsOptional()
  @IsInt({ message: 'deadLetterCount must be a whole number from 1 to 100000' })
  @Min(1, { message: 'deadLetterCount must be a whole number from 1 to 100000' })
  @Max(100_000, { message: 'deadLetterCount must be a whole number from 1 to 100000' })
  deadLetterCount?: number;

  @ApiPropertyOptional(SWITCH('the oldest unprocessed event waits longer than inboxLagMinutes'))
  @IsOptional()
  @IsBoolean({ message: 'inboxLag must be true or false' })
  inboxLag?: boolean;

  @ApiPropertyOptional({ description: 'Minutes (default 15)', minimum: 1, maximum: 1440 })
  @IsOptional()
  @IsInt({ message: 'inboxLagMinutes must be a whole number from 1 to 1440' })
  @Min(1, { message: 'inboxLagMinutes must be a whole number from 1 to 1440' })
  @Max(1440, { message: 'inboxLagMinutes must be a whole number from 1 to 1440' })
  inboxLagMinutes?: number;

  @ApiPropertyOptional(SWITCH('a mapping refers to a field deleted in either CRM'))
  @IsOptional()
  @IsBoolean({ message: 'mappingBroken must be true or false' })
  mappingBroken?: boolean;

  @ApiPropertyOptional({
    description: 'Telegram bot token from @BotFather (stored encrypted, never returned); null removes it',
    type: String,
    nullable: true,
    format: 'password',
  })
  @IsOptional()
  @IsString({ message: 'telegramBotToken must be text' })
  @MaxLength(128, { message: 'telegramBotToken must be at most 128 characters' })
  @Matches(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, {
    message: 'telegramBotToken must look like 123456789:AA… (the token @BotFather gives)',
  })
  telegramBotToken?: string | null;

  @ApiPropertyOptional({
    description: 'Chat to write to: a numeric chat id (groups are negative) or @channelname; null removes it',
    type: String,
    nullable: true,
    example: '-1001234567890',
  })
  @IsOptional()
  @IsString({ message: 'telegramChatId must be text' })
  @MaxLength(64, { message: 'telegramChatId must be at most 64 characters' })
  @Matches(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, {
    message: 'telegramChatId must be a numeric chat id or @channelname',
  })
  telegramChatId?: string | null;
}

export class AlertSettingsDto {
  @ApiProperty() amocrmConnection!: boolean;
  @ApiProperty() lptrackerConnection!: boolean;
  @ApiProperty() amocrmWebhook!: boolean;
  @ApiProperty() deadLetter!: boolean;
  @ApiProperty() deadLetterCount!: number;
  @ApiProperty() inboxLag!: boolean;
  @ApiProperty() inboxLagMinutes!: number;
  @ApiProperty() mappingBroken!: boolean;
  @ApiProperty({ type: String, nullable: true }) telegramChatId!: string | null;
  @ApiProperty({ description: 'Whether a Telegram bot token is stored (the token is never returned)' })
  tokenSet!: boolean;

  static from(view: AlertSettingsView): AlertSettingsDto {
    return Object.assign(new AlertSettingsDto(), view);
  }
}

export class AlertDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ALERT_CONDITIONS }) condition!: AlertConditionId;
  @ApiProperty({ description: 'What it is about, e.g. `amocrm` or `101:lptracker_to_amocrm`' })
  subject!: string;
  @ApiProperty({ enum: ['active', 'resolved'] }) state!: AlertState;
  @ApiProperty() title!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'Console page where it is fixed, e.g. /connections/amocrm' }) link!: string;
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readAt!: string | null;
  @ApiProperty({ enum: ['sent', 'failed', 'off'] }) telegramRaised!: AlertDelivery;
  @ApiProperty({ enum: ['sent', 'failed', 'off'], nullable: true }) telegramResolved!: AlertDelivery | null;

  static from(alert: AlertEntity): AlertDto {
    return Object.assign(new AlertDto(), {
      id: alert.id,
      condition: alert.condition,
      subject: alert.subject,
      state: alert.state,
      title: alert.title,
      detail: alert.detail,
      link: alert.link,
      raisedAt: alert.raisedAt.toISOString(),
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      readAt: alert.readAt?.toISOString() ?? null,
      telegramRaised: alert.telegramRaised,
      telegramResolved: alert.telegramResolved,
    });
  }
}

export class AlertPageDto extends PageDto {
  @ApiProperty({ type: [AlertDto] })
  items!: AlertDto[];

  @ApiProperty({ description: 'Alerts of the workspace not marked read yet' })
  unread!: number;
}

export class AlertCheckResultDto {
  @ApiProperty() raised!: number;
  @ApiProperty() resolved!: number;
}
