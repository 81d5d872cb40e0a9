import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ContactDto, CreateContactDto, CustomFieldValuesDto } from '../../contacts/dto/contact.dto';
import { CustomFieldInputDto } from '../../contacts/dto/custom-field-input.dto';
import { PageDto, PageQueryDto, SortDirection, SortField, type SortOrder } from '../../http/pagination';
import { LEAD_SORT_COLUMNS, type LeadSortField } from '../leads.repository';
import { QueryInteger } from '../../http/query-integer';
import type { LeadEntity } from '../lead.entity';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const trimEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? (value as unknown[]).map((item) => (typeof item === 'string' ? item.trim() : item))
    : value;

/** amoCRM keeps prices as whole numbers. */
const MAX_PRICE = 999_999_999_999;

/**
 * Find-or-create a lead for a contact: give `contactId` (a contact of your workspace) or `contact` (found or
 * created like `POST /api/v1/contacts`). An open lead (not won 142 / lost 143, not deleted) of that contact with
 * the same name (ignoring case) is reused as it is; otherwise a lead is created in amoCRM, linked to the contact.
 */
export class CreateLeadDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Заявка с сайта' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A contact of your workspace (id from /api/v1/contacts); or give contact',
  })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({
    type: CreateContactDto,
    description: 'Found or created like POST /api/v1/contacts; or give contactId',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateContactDto)
  contact?: CreateContactDto;

  @ApiPropertyOptional({ description: 'amoCRM pipeline id (default: the main pipeline)', example: 7200001 })
  @IsOptional()
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  pipelineId?: number;

  @ApiPropertyOptional({
    description: 'amoCRM status id within the pipeline (default: its first working stage)',
    example: 61000002,
  })
  @IsOptional()
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  statusId?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Whole amount in the account currency', example: 15000 })
  @IsOptional()
  @IsInt({ message: 'price must be a whole number' })
  @Min(0)
  @Max(MAX_PRICE)
  price?: number;

  @ApiPropertyOptional({
    type: [CustomFieldInputDto],
    description: 'Lead custom fields, checked against the amoCRM metadata',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldInputDto)
  customFields?: CustomFieldInputDto[];

  @ApiPropertyOptional({ type: [String], description: 'Tag names of a lead created now', example: ['сайт'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Transform(trimEach)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'tags must not be empty' })
  @MaxLength(100, { each: true })
  tags?: string[];
}

/** Changes pushed to amoCRM first, then to the mirror. Fields left out stay as they are. */
export class UpdateLeadDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name?: string;

  @ApiPropertyOptional({
    description: 'Move to another pipeline (its first working stage unless statusId is given)',
  })
  @IsOptional()
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  pipelineId?: number;

  @ApiPropertyOptional({ description: 'A status of the lead’s pipeline (or of pipelineId when given)' })
  @IsOptional()
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  statusId?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt({ message: 'price must be a whole number' })
  @Min(0)
  @Max(MAX_PRICE)
  price?: number;

  @ApiPropertyOptional({
    type: [CustomFieldInputDto],
    description: 'Each listed field gets exactly these values',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldInputDto)
  customFields?: CustomFieldInputDto[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'Replaces the lead’s tags with exactly these (an empty list removes them all). Not with addTags.',
    example: ['vip'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Transform(trimEach)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'tags must not be empty' })
  @MaxLength(100, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'Added to the lead’s tags (read-merge-write: the current tags are read from amoCRM and kept, since amoCRM ' +
      'replaces the whole set on write). Not with tags.',
    example: ['повторный'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Transform(trimEach)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'addTags must not be empty' })
  @MaxLength(100, { each: true })
  addTags?: string[];
}

export class LeadQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ description: 'amoCRM status id' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  statusId?: number;

  @ApiPropertyOptional({ description: 'amoCRM pipeline id' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  pipelineId?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Leads of this contact' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @SortField(Object.keys(LEAD_SORT_COLUMNS))
  sort?: LeadSortField;

  @SortDirection()
  order?: SortOrder;
}

export class LeadDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Id in amoCRM' })
  amocrmId!: number | null;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: Number, nullable: true })
  statusId!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Name of the status, from the cached amoCRM metadata',
  })
  status!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  pipelineId!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Name of the pipeline, from the cached amoCRM metadata',
  })
  pipeline!: string | null;

  @ApiProperty({ description: 'Neither won (142) nor lost (143)' })
  isOpen!: boolean;

  @ApiProperty({ type: Number, nullable: true })
  price!: number | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The lead’s contact in /api/v1/contacts',
  })
  contactId!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  responsibleUserId!: number | null;

  @ApiProperty({ type: [CustomFieldValuesDto] })
  customFields!: CustomFieldValuesDto[];

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'api',
    description: '`api`: created through this API; `amocrm`: mirrored from amoCRM',
  })
  source!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the row last matched amoCRM',
  })
  syncedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Set when the lead was deleted in amoCRM',
  })
  deletedAt!: string | null;

  /** `names` come from the metadata cache (the stored name when the metadata does not know the status). */
  static from(lead: LeadEntity, names: { pipeline: string | null; status: string | null }): LeadDto {
    return {
      id: lead.id,
      amocrmId: lead.amocrmId,
      name: lead.name,
      statusId: lead.statusId,
      status: names.status ?? lead.status,
      pipelineId: lead.pipelineId,
      pipeline: names.pipeline,
      isOpen: lead.statusId === null || (lead.statusId !== 142 && lead.statusId !== 143),
      price: lead.price,
      contactId: lead.contactId,
      responsibleUserId: lead.responsibleUserId,
      customFields: lead.customFields ?? [],
      tags: lead.tags ?? [],
      source: lead.source,
      createdAt: lead.createdAt.toISOString(),
      updatedAt: lead.updatedAt.toISOString(),
      syncedAt: lead.syncedAt?.toISOString() ?? null,
      closedAt: lead.closedAt?.toISOString() ?? null,
      deletedAt: lead.deletedAt?.toISOString() ?? null,
    };
  }
}

export class LeadContactDto extends ContactDto {
  @ApiProperty({ description: 'true when the contact was created by this call' })
  created!: boolean;
}

export class FoundOrCreatedLeadDto extends LeadDto {
  @ApiProperty({
    description: 'true when the lead was created now (201), false when an open lead was reused (200)',
  })
  created!: boolean;

  @ApiProperty({ type: LeadContactDto, description: 'The lead’s contact, found or created' })
  contact!: LeadContactDto;
}

export class LeadPageDto extends PageDto {
  @ApiProperty({ type: [LeadDto] })
  items!: LeadDto[];
}
