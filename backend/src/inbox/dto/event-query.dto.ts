import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto, SortDirection, SortField, type SortOrder } from '../../http/pagination';
import { EVENT_SORT_COLUMNS, type EventSortField } from '../inbox-event-queries.repository';
import { EVENT_STATUSES, type EventStatus } from '../event-status';

/** The filter of the events list and of a bulk replay. */
export class EventFilterDto {
  @ApiPropertyOptional({ example: 'amocrm', description: 'Where the webhook came from' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,31}$/, { message: 'source must be a source name such as amocrm or lptracker' })
  source?: string;

  @ApiPropertyOptional({ enum: EVENT_STATUSES })
  @IsOptional()
  @IsIn(EVENT_STATUSES, { message: `status must be one of ${EVENT_STATUSES.join(', ')}` })
  status?: EventStatus;

  @ApiPropertyOptional({ example: 'leads.status', description: 'Event type as the source adapter names it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Received at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be a date, e.g. 2026-11-01T00:00:00Z' })
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Received at or before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be a date, e.g. 2026-11-30T23:59:59Z' })
  to?: Date;

  @ApiPropertyOptional({
    example: '31415926',
    description: 'An entity id of the source (lead, contact…) the event is about, or the event id',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  search?: string;
}

/** The order of the events list (newest first unless asked). */
export class EventSortDto {
  @SortField(Object.keys(EVENT_SORT_COLUMNS))
  sort?: EventSortField;

  @SortDirection()
  order?: SortOrder;
}

/** The events list: paging, the filter and the order. */
export class EventQueryDto extends IntersectionType(PageQueryDto, EventFilterDto, EventSortDto) {}
