import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { WorkspaceSummary } from '../workspaces.service';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Отдел продаж Москва', maxLength: 120 })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'admin@team.example.com' })
  @IsEmail({ require_tld: false }, { message: 'adminEmail must be an e-mail address' })
  @MaxLength(254)
  adminEmail!: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @MaxLength(256)
  adminPassword!: string;
}

export class RenameWorkspaceDto {
  @ApiProperty({ example: 'Отдел продаж Санкт-Петербург', maxLength: 120 })
  @IsString({ message: 'name must be a string' })
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name!: string;
}

export class WorkspaceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  isDefault!: boolean;

  @ApiProperty({ description: 'Number of users' })
  users!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(summary: WorkspaceSummary): WorkspaceDto {
    return {
      id: summary.workspace.id,
      name: summary.workspace.name,
      isDefault: summary.workspace.isDefault,
      users: summary.users,
      createdAt: summary.workspace.createdAt.toISOString(),
    };
  }
}
