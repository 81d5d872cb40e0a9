import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../principal';
import type { UserEntity } from '../user.entity';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'manager@example.com' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ format: 'uuid' })
  workspaceId!: string;

  @ApiProperty({ description: 'Platform super-admin: may create workspaces' })
  isSuperAdmin!: boolean;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(user: UserEntity): UserDto {
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      workspaceId: user.workspaceId,
      isSuperAdmin: user.isSuperAdmin,
      disabled: Boolean(user.disabledAt),
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

export class SessionDto {
  @ApiProperty({ description: 'JWT for Authorization: Bearer; lives 15 minutes' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque, single use, rotates on every refresh; lives 30 days' })
  refreshToken!: string;

  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

export class CreateUserDto {
  @ApiProperty({ example: 'manager@example.com' })
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @MaxLength(256)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'true disables the user and ends their sessions at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ description: 'A new password (reset by an admin); ends the user’s sessions' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  password?: string;
}
