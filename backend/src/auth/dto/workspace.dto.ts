import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { CurrentWorkspace, WorkspaceSummary } from '../workspaces.service';

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

  @ApiProperty({
    description: 'Turned off: its users and API keys are refused; its webhooks are still accepted',
  })
  disabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(summary: WorkspaceSummary): WorkspaceDto {
    return {
      id: summary.workspace.id,
      name: summary.workspace.name,
      isDefault: summary.workspace.isDefault,
      users: summary.users,
      disabled: Boolean(summary.workspace.disabledAt),
      createdAt: summary.workspace.createdAt.toISOString(),
    };
  }
}

export class WorkspaceRefDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class CurrentWorkspaceDto extends WorkspaceRefDto {
  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ description: 'A super-admin acting in a workspace they opened (not their own)' })
  acting!: boolean;

  @ApiProperty({
    type: WorkspaceRefDto,
    nullable: true,
    description: "While acting in another workspace: the super-admin's own one",
  })
  home!: WorkspaceRefDto | null;

  static from({ workspace, home }: CurrentWorkspace): CurrentWorkspaceDto {
    return {
      id: workspace.id,
      name: workspace.name,
      disabled: Boolean(workspace.disabledAt),
      acting: home !== null,
      home: home && { id: home.id, name: home.name },
    };
  }
}
