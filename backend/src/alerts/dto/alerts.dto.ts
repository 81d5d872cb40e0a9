import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageDto } from '../../http/pagination';
import { ALERT_CONDITIONS, type AlertConditionId } from '../alert-conditions';
import type { AlertDelivery, AlertState } from '../alert.entity';
import type { AlertSettingsView } from '../alert-settings.service';
import type { AlertView } from '../alerts.service';

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

  @ApiPropertyOptional(
    SWITCH('an import ends with an error (one alert per import, until a later import succeeds)'),
  )
  @IsOptional()
  @IsBoolean({ message: 'importFailed must be true or false' })
  importFailed?: boolean;

  @ApiPropertyOptional(
    SWITCH('no webhook arrived from amoCRM or LPTracker for noWebhookHours of working time'),
  )
  @IsOptional()
  @IsBoolean({ message: 'noWebhook must be true or false' })
  noWebhook?: boolean;

  @ApiPropertyOptional({ description: 'Working hours of silence (default 4)', minimum: 1, maximum: 168 })
  @IsOptional()
  @IsInt({ message: 'noWebhookHours must be a whole number from 1 to 168' })
  @Min(1, { message: 'noWebhookHours must be a whole number from 1 to 168' })
  @Max(168, { message: 'noWebhookHours must be a whole number from 1 to 168' })
  noWebhookHours?: number;

  @ApiPropertyOptional({
    description: 'Working days, 1 = Monday … 7 = Sunday (default Monday to Friday)',
    type: [Number],
    example: [1, 2, 3, 4, 5],
  })
  @IsOptional()
  @IsArray({ message: 'workingDays must be a list of days 1 (Monday) to 7 (Sunday)' })
  @ArrayMinSize(1, { message: 'workingDays must name at least one day' })
  @ArrayMaxSize(7, { message: 'workingDays must be a list of days 1 (Monday) to 7 (Sunday)' })
  @ArrayUnique({ message: 'workingDays must not repeat a day' })
  @IsInt({ each: true, message: 'workingDays must be a list of days 1 (Monday) to 7 (Sunday)' })
  @Min(1, { each: true, message: 'workingDays must be a list of days 1 (Monday) to 7 (Sunday)' })
  @Max(7, { each: true, message: 'workingDays must be a list of days 1 (Monday) to 7 (Sunday)' })
  workingDays?: number[];

  @ApiPropertyOptional({ description: 'Working hours start, hour 0–23 (default 9)', minimum: 0, maximum: 23 })
  @IsOptional()
  @IsInt({ message: 'workingHoursFrom must be a whole hour from 0 to 23' })
  @Min(0, { message: 'workingHoursFrom must be a whole hour from 0 to 23' })
  @Max(23, { message: 'workingHoursFrom must be a whole hour from 0 to 23' })
  workingHoursFrom?: number;

  @ApiPropertyOptional({
    description: 'Working hours end (exclusive), hour 1–24, later than the start (default 18)',
    minimum: 1,
    maximum: 24,
  })
  @IsOptional()
  @IsInt({ message: 'workingHoursTo must be a whole hour from 1 to 24' })
  @Min(1, { message: 'workingHoursTo must be a whole hour from 1 to 24' })
  @Max(24, { message: 'workingHoursTo must be a whole hour from 1 to 24' })
  workingHoursTo?: number;

  @ApiPropertyOptional({ description: 'IANA time zone of the working hours (default Europe/Moscow)' })
  @IsOptional()
  @IsString({ message: 'timeZone must be an IANA time zone like Europe/Moscow' })
  @MaxLength(64, { message: 'timeZone must be an IANA time zone like Europe/Moscow' })
  @Matches(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/, {
    message: 'timeZone must be an IANA time zone like Europe/Moscow',
  })
  timeZone?: string;

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
  @ApiProperty() importFailed!: boolean;
  @ApiProperty() noWebhook!: boolean;
  @ApiProperty() noWebhookHours!: number;
  @ApiProperty({ type: [Number] }) workingDays!: number[];
  @ApiProperty() workingHoursFrom!: number;
  @ApiProperty() workingHoursTo!: number;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: String, nullable: true }) telegramChatId!: string | null;
  @ApiProperty({ description: 'Whether a Telegram bot token is stored (the token is never returned)' })
  tokenSet!: boolean;

  static from(view: AlertSettingsView): AlertSettingsDto {
    return Object.assign(new AlertSettingsDto(), view);
  }
}

const DELIVERIES = ['sent', 'pending', 'failed', 'off'];

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
  @ApiProperty({ type: String, nullable: true, description: 'When you read it (read marks are per person)' })
  readAt!: string | null;
  @ApiProperty({
    enum: DELIVERIES,
    description: '`pending`: Telegram did not take it yet, tried again later',
  })
  telegramRaised!: AlertDelivery;
  @ApiProperty({ enum: DELIVERIES, nullable: true }) telegramResolved!: AlertDelivery | null;

  static from(alert: AlertView): AlertDto {
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

  @ApiProperty({ description: 'Alerts of the workspace you have not read' })
  unread!: number;
}

export class AlertCheckResultDto {
  @ApiProperty() raised!: number;
  @ApiProperty() resolved!: number;
}
