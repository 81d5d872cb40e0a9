import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto, SortDirection, SortField, type SortOrder } from '../../http/pagination';
import type { AuditDetails, AuditEntryEntity } from '../audit-entry.entity';
import { AUDIT_SORT_COLUMNS, type AuditSortField } from '../audit.repository';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be a date, e.g. 2026-11-01T00:00:00Z' })
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be a date, e.g. 2026-11-30T23:59:59Z' })
  to?: Date;

  @ApiPropertyOptional({ description: 'Part of the e-mail or key name, or the exact actor id' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  actor?: string;

  @ApiPropertyOptional({ description: 'Action or its beginning, e.g. `auth.` or `user.role_changed`' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @SortField(Object.keys(AUDIT_SORT_COLUMNS))
  sort?: AuditSortField;

  @SortDirection()
  order?: SortOrder;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: ['user', 'api_key', 'system', 'anonymous'] })
  actorType!: string;

  @ApiProperty({ type: String, nullable: true })
  actorId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'E-mail of the user or name of the API key' })
  actor!: string | null;

  @ApiProperty({ example: 'user.role_changed' })
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  targetType!: string | null;

  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({ type: Object, nullable: true })
  details!: AuditDetails | null;

  @ApiProperty({ type: String, nullable: true })
  ip!: string | null;

  static from(entry: AuditEntryEntity): AuditEntryDto {
    return {
      id: entry.id,
      at: entry.createdAt.toISOString(),
      actorType: entry.actorType,
      actorId: entry.actorId,
      actor: entry.actorLabel,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: entry.details,
      ip: entry.ip,
    };
  }
}

export class AuditPageDto extends PageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];
}
