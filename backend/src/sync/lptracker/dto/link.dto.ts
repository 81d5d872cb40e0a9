import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsPositive, IsString, Max, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto, SortDirection, SortField, type SortOrder } from '../../../http/pagination';
import { QueryInteger } from '../../../http/query-integer';
import { LINK_SORT_COLUMNS, type LinkSortField } from '../lptracker-links.repository';

const ID_MESSAGE = (name: string) => `${name} must be a whole number from 1`;

export class LinkQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'LPTracker lead id' })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: ID_MESSAGE('lptrackerLeadId') })
  @IsPositive({ message: ID_MESSAGE('lptrackerLeadId') })
  @Max(Number.MAX_SAFE_INTEGER, { message: ID_MESSAGE('lptrackerLeadId') })
  lptrackerLeadId?: number;

  @ApiPropertyOptional({ description: 'amoCRM lead id' })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: ID_MESSAGE('amocrmLeadId') })
  @IsPositive({ message: ID_MESSAGE('amocrmLeadId') })
  @Max(Number.MAX_SAFE_INTEGER, { message: ID_MESSAGE('amocrmLeadId') })
  amocrmLeadId?: number;

  @ApiPropertyOptional({ description: 'LPTracker project id' })
  @IsOptional()
  @QueryInteger()
  @IsInt({ message: ID_MESSAGE('projectId') })
  @IsPositive({ message: ID_MESSAGE('projectId') })
  @Max(Number.MAX_SAFE_INTEGER, { message: ID_MESSAGE('projectId') })
  projectId?: number;

  @ApiPropertyOptional({
    description:
      'A phone of the linked contact in any format (normalised to E.164 first; an invalid number is a 400)',
    example: '89161234567',
  })
  @IsOptional()
  @IsString({ message: 'phone must be a text' })
  @MaxLength(40, { message: 'phone must be at most 40 characters' })
  phone?: string;

  @SortField(Object.keys(LINK_SORT_COLUMNS))
  sort?: LinkSortField;

  @SortDirection()
  order?: SortOrder;
}

export class LinkStageDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ type: String, nullable: true, description: 'From the LPTracker metadata cache' })
  name!: string | null;
}

export class LinkStatusDto {
  @ApiProperty({ type: Number, nullable: true })
  pipelineId!: number | null;

  @ApiProperty()
  statusId!: number;

  @ApiProperty({ type: String, nullable: true })
  pipelineName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  statusName!: string | null;
}

export class LinkDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  projectId!: number;

  @ApiProperty()
  lptrackerLeadId!: number;

  @ApiProperty()
  amocrmLeadId!: number;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The mirror lead (GET /api/v1/leads/:id)',
  })
  leadId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The mirror contact' })
  contactId!: string | null;

  @ApiProperty({ type: LinkStageDto, nullable: true })
  lptrackerStage!: LinkStageDto | null;

  @ApiProperty({ type: LinkStatusDto, nullable: true })
  amocrmStatus!: LinkStatusDto | null;

  @ApiProperty({ type: String, nullable: true })
  leadName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  contactName!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Main phone of the contact (E.164)' })
  phone!: string | null;

  @ApiProperty({ enum: ['lead', 'unsorted'] })
  createdAs!: string;

  @ApiProperty({ type: String, nullable: true, enum: ['lptracker_to_amocrm', 'amocrm_to_lptracker'] })
  lastDirection!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSyncedAt!: string | null;
}

export class LinkPageDto extends PageDto {
  @ApiProperty({ type: [LinkDto] })
  items!: LinkDto[];
}
