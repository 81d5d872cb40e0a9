import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
  ArrayMaxSize,
} from 'class-validator';
import { PageDto, PageQueryDto, SortDirection, SortField, type SortOrder } from '../../http/pagination';
import { CONTACT_SORT_COLUMNS, type ContactSortField } from '../contacts.repository';
import type { ContactEntity, CustomFieldValues } from '../contact.entity';
import { CustomFieldInputDto } from './custom-field-input.dto';

/** The longest `phone` of the list's query. */
const MAX_QUERY_PHONE = 40;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/**
 * Find-or-create: at least one of `phone` and `email`. An existing contact (same phone, else same e-mail) is
 * answered as it is: find-or-create never edits it (use PATCH to add a phone or an e-mail).
 */
export class CreateContactDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 255,
    example: 'Иван Петров',
    description: 'Name of a contact created now',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name!: string;

  @ApiPropertyOptional({
    description:
      'Any common format (`+7 916 123-45-67`, `89161234567`, `9161234567`); numbers without a country code use ' +
      'DEFAULT_PHONE_REGION; stored as E.164. The contact is looked up by it first (phone wins over e-mail).',
    example: '+7 916 123-45-67',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({
    example: 'ivan@example.ru',
    description: 'Compared ignoring case; used when no contact has the phone',
  })
  @IsOptional()
  @Transform(trim)
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    type: [CustomFieldInputDto],
    description:
      'Set on a contact created now; checked against the amoCRM metadata (not PHONE/EMAIL: use phone and email)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldInputDto)
  customFields?: CustomFieldInputDto[];
}

export class UpdateContactDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name?: string;

  @ApiPropertyOptional({
    description: 'Added to the contact’s phones in amoCRM (read-merge-write: the phones it has are kept)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({
    description: 'Added to the contact’s e-mails in amoCRM (read-merge-write: the e-mails it has are kept)',
  })
  @IsOptional()
  @Transform(trim)
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    type: [CustomFieldInputDto],
    description: 'Each listed field gets exactly these values (other fields are left as they are)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldInputDto)
  customFields?: CustomFieldInputDto[];
}

export class ContactQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Part of the name, digits of the main phone, the beginning of any of a contact’s e-mails, or a phone in any ' +
      'format (matching any of a contact’s phones)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({
    description:
      'Exact phone in any format, matching any of a contact’s phones (normalised to E.164 first; an invalid number is a 400)',
    example: '89161234567',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_QUERY_PHONE)
  phone?: string;

  @ApiPropertyOptional({
    description: 'Exact e-mail, matching any of a contact’s e-mails (case does not matter)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @SortField(Object.keys(CONTACT_SORT_COLUMNS))
  sort?: ContactSortField;

  @SortDirection()
  order?: SortOrder;

  /**
   * The lookup of client apps, `?phone=…` alone (the hot path), as the checks above would take it: one string of at
   * most 40 characters, the rest their defaults. Any other query: null (the full checks run).
   */
  static fastQuery(query: unknown): ContactQueryDto | null {
    if (typeof query !== 'object' || query === null) return null;
    // Express's query parser makes objects without a prototype
    const prototype: unknown = Object.getPrototypeOf(query);
    if (prototype !== null && prototype !== Object.prototype) return null;
    const keys = Object.keys(query);
    if (keys.length !== 1 || keys[0] !== 'phone') return null;
    const phone: unknown = (query as { phone?: unknown }).phone;
    if (typeof phone !== 'string' || phone.length > MAX_QUERY_PHONE) return null;
    return Object.assign(new ContactQueryDto(), { phone });
  }
}

export class CustomFieldValuesDto {
  @ApiProperty()
  fieldId!: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  fieldCode?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  fieldName?: string | null;

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ value: 'Москва' }] })
  values!: CustomFieldValues['values'];
}

export class ContactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Id in amoCRM' })
  amocrmId!: number | null;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: '+79161234567' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ type: [String] })
  phones!: string[];

  @ApiProperty({ type: [String] })
  emails!: string[];

  @ApiProperty({ type: Number, nullable: true })
  responsibleUserId!: number | null;

  @ApiProperty({ type: [CustomFieldValuesDto] })
  customFields!: CustomFieldValuesDto[];

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

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'api',
    description:
      '`api`: created in amoCRM through this API; `amocrm`: an amoCRM contact mirrored when it was found',
  })
  source!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Set when the contact was deleted in amoCRM',
  })
  deletedAt!: string | null;

  static from(contact: ContactEntity): ContactDto {
    return {
      id: contact.id,
      amocrmId: contact.amocrmId,
      name: contact.name,
      phone: contact.phone,
      email: contact.email,
      phones: contact.phones ?? (contact.phone ? [contact.phone] : []),
      emails: contact.emails ?? (contact.email ? [contact.email] : []),
      responsibleUserId: contact.responsibleUserId,
      customFields: contact.customFields ?? [],
      createdAt: contact.createdAt.toISOString(),
      updatedAt: contact.updatedAt.toISOString(),
      syncedAt: contact.syncedAt?.toISOString() ?? null,
      source: contact.source,
      deletedAt: contact.deletedAt?.toISOString() ?? null,
    };
  }
}

export class FoundOrCreatedContactDto extends ContactDto {
  @ApiProperty({
    description: 'true when the contact was created now (201), false when an existing one was found (200)',
  })
  created!: boolean;

  static of(contact: ContactEntity, created: boolean): FoundOrCreatedContactDto {
    return { ...ContactDto.from(contact), created };
  }
}

export class ContactPageDto extends PageDto {
  @ApiProperty({ type: [ContactDto] })
  items!: ContactDto[];
}
