import { ApiProperty } from '@nestjs/swagger';
import type { AmocrmConnectionEntity } from '../connection/amocrm-connection.entity';

const STATUSES = ['connected', 'needs_reauth', 'paused', 'not_connected'] as const;

/** The workspace's amoCRM connection as the console shows it; secrets never leave the server. */
export class AmocrmConnectionDto {
  @ApiProperty({
    enum: STATUSES,
    description: '`paused`: stopped after a 402/403 until an admin resumes; `needs_reauth`: reconnect',
  })
  status!: (typeof STATUSES)[number];

  @ApiProperty({ enum: ['oauth', 'long_lived'], nullable: true, type: String })
  authKind!: 'oauth' | 'long_lived' | null;

  @ApiProperty({ type: Number, nullable: true, example: 31000001 })
  accountId!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'ООО «Ромашка»' })
  accountName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'mycompany' })
  subdomain!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the access token expires, when known',
  })
  tokenExpiresAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The last problem with this connection, in English',
  })
  lastError!: string | null;

  @ApiProperty({ enum: ['blocked', 'forbidden', 'payment_required'], nullable: true, type: String })
  pausedReason!: 'blocked' | 'forbidden' | 'payment_required' | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  connectedAt!: string | null;

  @ApiProperty({
    enum: ['manual', 'env', 'demo'],
    nullable: true,
    type: String,
    description: 'Made in the console, by AMO_* variables, or by the demo mode',
  })
  source!: 'manual' | 'env' | 'demo' | null;

  @ApiProperty({ type: String, nullable: true, description: 'OAuth: the integration ID' })
  clientId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'OAuth: the redirect URI sent to amoCRM' })
  redirectUri!: string | null;

  static from(connection: AmocrmConnectionEntity | null): AmocrmConnectionDto {
    if (!connection) {
      return {
        status: 'not_connected',
        authKind: null,
        accountId: null,
        accountName: null,
        subdomain: null,
        tokenExpiresAt: null,
        lastError: null,
        pausedReason: null,
        connectedAt: null,
        source: null,
        clientId: null,
        redirectUri: null,
      };
    }
    return {
      status: connection.status,
      authKind: connection.authKind,
      accountId: connection.accountId,
      accountName: connection.accountName,
      subdomain: connection.subdomain,
      tokenExpiresAt: connection.tokenExpiresAt?.toISOString() ?? null,
      lastError: connection.lastError,
      pausedReason: connection.pausedReason,
      connectedAt: connection.connectedAt?.toISOString() ?? null,
      source: connection.source,
      clientId: connection.clientId,
      redirectUri: connection.redirectUri,
    };
  }
}

export class AmocrmAuthorizeUrlDto {
  @ApiProperty({
    description:
      'Open this in a popup or tab: amoCRM asks the admin to allow access, then redirects to the callback',
    example: 'https://www.amocrm.ru/oauth?client_id=…&state=…&mode=post_message',
  })
  url!: string;
}
