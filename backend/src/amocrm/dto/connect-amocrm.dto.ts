import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength, MinLength, ValidateIf } from 'class-validator';

/**
 * `PUT /api/v1/connections/amocrm`: either an OAuth client (`clientId`, `clientSecret`, optional `redirectUri`),
 * connected later through the consent page, or a long-lived token checked at once.
 */
export class ConnectAmocrmDto {
  @ApiProperty({
    description:
      'Account subdomain or address: `mycompany`, `mycompany.amocrm.ru` or `https://mycompany.kommo.com/`',
    example: 'mycompany',
    maxLength: 255,
  })
  @IsString({ message: 'subdomain must be text such as mycompany or mycompany.amocrm.ru' })
  @IsNotEmpty({ message: 'subdomain is required' })
  @MaxLength(255)
  subdomain!: string;

  @ApiPropertyOptional({
    description: 'OAuth: the integration ID (required unless longLivedToken is sent)',
    maxLength: 128,
  })
  @ValidateIf((dto: ConnectAmocrmDto) => dto.longLivedToken === undefined || dto.clientId !== undefined)
  @IsString({ message: 'clientId is required for an OAuth connection (or send longLivedToken)' })
  @IsNotEmpty({ message: 'clientId is required for an OAuth connection (or send longLivedToken)' })
  @MaxLength(128)
  clientId?: string;

  @ApiPropertyOptional({
    description: 'OAuth: the integration secret key (stored encrypted, never returned)',
    maxLength: 512,
  })
  @ValidateIf((dto: ConnectAmocrmDto) => dto.longLivedToken === undefined || dto.clientSecret !== undefined)
  @IsString({ message: 'clientSecret is required for an OAuth connection (or send longLivedToken)' })
  @IsNotEmpty({ message: 'clientSecret is required for an OAuth connection (or send longLivedToken)' })
  @MaxLength(512)
  clientSecret?: string;

  @ApiPropertyOptional({
    description:
      'OAuth: the redirect URI registered in the integration; defaults to PUBLIC_URL + /api/v1/connections/amocrm/callback',
    example: 'https://crm-sync.example.com/api/v1/connections/amocrm/callback',
    maxLength: 512,
  })
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'redirectUri must be an http(s) URL' },
  )
  @MaxLength(512)
  redirectUri?: string;

  @ApiPropertyOptional({
    description:
      'Private integration: the long-lived access token (checked with amoCRM at once, stored encrypted, never returned)',
    minLength: 20,
    maxLength: 4000,
  })
  @IsOptional()
  @IsString({ message: 'longLivedToken must be text' })
  @MinLength(20, { message: 'longLivedToken is too short to be an amoCRM token' })
  @MaxLength(4000)
  longLivedToken?: string;
}
