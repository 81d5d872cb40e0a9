import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ContactQueryDto } from '../../contacts/dto/contact.dto';
import { EventQueryDto } from '../../inbox/dto/event-query.dto';
import { LeadQueryDto } from '../../leads/dto/lead.dto';

export class ExportColumnsQueryDto {
  @ApiPropertyOptional({
    description: 'Columns to export, comma-separated keys in the order wanted (all when absent)',
    example: 'name,phone,email',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  columns?: string;
}

/** The contacts list's filters plus `columns` (`page` and `limit` are ignored: every match is exported). */
export class ContactExportQueryDto extends IntersectionType(ContactQueryDto, ExportColumnsQueryDto) {}
export class LeadExportQueryDto extends IntersectionType(LeadQueryDto, ExportColumnsQueryDto) {}
export class EventExportQueryDto extends IntersectionType(EventQueryDto, ExportColumnsQueryDto) {}
