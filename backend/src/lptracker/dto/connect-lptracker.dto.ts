import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsPositive, IsString, Matches, Max, MaxLength } from 'class-validator';

/** `PUT /api/v1/connections/lptracker`: the login, its password and the first project to work with. */
export class ConnectLptrackerDto {
  @ApiProperty({
    description: 'The LPTracker login (usually an e-mail)',
    example: 'sales@example.ru',
    maxLength: 255,
  })
  @IsString({ message: 'login must be text' })
  @IsNotEmpty({ message: 'login is required' })
  @Matches(/\S/, { message: 'login is required' })
  @MaxLength(255)
  login!: string;

  @ApiProperty({
    description:
      'The password of that login (checked with LPTracker at once, stored encrypted, never returned)',
    maxLength: 255,
    format: 'password',
  })
  @IsString({ message: 'password must be text' })
  @IsNotEmpty({ message: 'password is required' })
  @MaxLength(255)
  password!: string;

  @ApiProperty({ description: 'An LPTracker project id this login sees (GET /projects)', example: 101 })
  @IsInt({ message: 'projectId must be a whole number' })
  @IsPositive({ message: 'projectId must be a positive number' })
  @Max(Number.MAX_SAFE_INTEGER)
  projectId!: number;
}

/** `POST /api/v1/connections/lptracker/projects`: enables one more project of the login. */
export class EnableLptrackerProjectDto {
  @ApiProperty({ description: 'An LPTracker project id this login sees', example: 102 })
  @IsInt({ message: 'projectId must be a whole number' })
  @IsPositive({ message: 'projectId must be a positive number' })
  @Max(Number.MAX_SAFE_INTEGER)
  projectId!: number;
}
