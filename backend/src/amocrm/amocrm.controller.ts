import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { NotFoundProblem, ValidationProblem } from '../http/problem';
import { AmocrmConnectionsService } from './connection/amocrm-connections.service';
import { AmocrmOAuthService } from './connection/amocrm-oauth.service';
import { AmocrmAuthorizeUrlDto, AmocrmConnectionDto } from './dto/amocrm-connection.dto';
import { AmocrmMetadataDto } from './dto/amocrm-metadata.dto';
import { ConnectAmocrmDto } from './dto/connect-amocrm.dto';
import { AmocrmMetadataService } from './metadata/amocrm-metadata.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const UNAVAILABLE = {
  status: 503,
  description: 'amoCRM is not connected, paused (402/403) or unreachable; Retry-After says when to try again',
  content: PROBLEM,
};

@ApiTags('amocrm')
@Controller('api/v1/connections/amocrm')
export class AmocrmController {
  constructor(
    private readonly connections: AmocrmConnectionsService,
    private readonly oauth: AmocrmOAuthService,
    private readonly metadata: AmocrmMetadataService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The amoCRM connection of your workspace (any role: the console shows its state to all)',
  })
  @ApiOkResponse({ type: AmocrmConnectionDto })
  async status(@CurrentPrincipal() principal: Principal): Promise<AmocrmConnectionDto> {
    return AmocrmConnectionDto.from(await this.connections.get(principal.workspaceId));
  }

  @Put()
  @RequireRole('admin')
  @ApiOperation({
    summary:
      'Connect amoCRM: save an OAuth client (then open authorize-url) or connect with a long-lived token (checked at once)',
  })
  @ApiOkResponse({ type: AmocrmConnectionDto })
  @ApiResponse(UNAVAILABLE)
  async connect(
    @Body() body: ConnectAmocrmDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<AmocrmConnectionDto> {
    const workspaceId = actor.principal.workspaceId;
    if (body.longLivedToken !== undefined) {
      if (body.clientId !== undefined || body.clientSecret !== undefined || body.redirectUri !== undefined) {
        throw new ValidationProblem([
          {
            field: 'longLivedToken',
            message: 'send either longLivedToken or clientId and clientSecret, not both',
            code: 'exclusive',
          },
        ]);
      }
      return AmocrmConnectionDto.from(
        await this.connections.connectWithToken(actor, {
          workspaceId,
          subdomain: body.subdomain,
          longLivedToken: body.longLivedToken,
          source: 'manual',
        }),
      );
    }
    return AmocrmConnectionDto.from(
      await this.connections.saveOAuthClient(actor, workspaceId, {
        subdomain: body.subdomain,
        clientId: body.clientId ?? '',
        clientSecret: body.clientSecret ?? '',
        redirectUri: body.redirectUri,
      }),
    );
  }

  @Delete()
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Disconnect amoCRM: the tokens are wiped (the OAuth client stays for a reconnect)',
  })
  @ApiNoContentResponse()
  async disconnect(@RequestActor() actor: AuthenticatedActor): Promise<void> {
    await this.connections.disconnect(actor, actor.principal.workspaceId);
  }

  @Get('authorize-url')
  @RequireRole('admin')
  @ApiOperation({ summary: 'The amoCRM consent page URL, with a single-use state valid for 10 minutes' })
  @ApiOkResponse({ type: AmocrmAuthorizeUrlDto })
  @ApiResponse({ status: 409, description: 'No OAuth client is saved yet', content: PROBLEM })
  async authorizeUrl(@RequestActor() actor: AuthenticatedActor): Promise<AmocrmAuthorizeUrlDto> {
    return { url: await this.oauth.authorizeUrl(actor, actor.principal.workspaceId) };
  }

  /**
   * The OAuth redirect target: amoCRM's consent page sends the admin's browser here, and it answers only 302 to
   * the console (`/connections/amocrm?connected=1` or `?error=<code>`).
   */
  @Get('callback')
  @Public()
  @ApiOperation({
    summary: 'OAuth redirect target (browser): exchanges the code, then redirects to the console',
  })
  @ApiFoundResponse({
    description: 'To /connections/amocrm?connected=1, or ?error=<code> when connecting failed',
  })
  async callback(
    @Query('code') code: unknown,
    @Query('state') state: unknown,
    @Query('referer') referer: unknown,
    @Query('error') error: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const location = await this.oauth.completeOAuth({
      code: text(code),
      state: text(state),
      referer: text(referer),
      error: text(error),
    });
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(HttpStatus.FOUND, location);
  }

  @Post('resume')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resume a paused connection: clears the pause and checks the account once' })
  @ApiOkResponse({ type: AmocrmConnectionDto })
  @ApiResponse(UNAVAILABLE)
  async resume(@RequestActor() actor: AuthenticatedActor): Promise<AmocrmConnectionDto> {
    return AmocrmConnectionDto.from(await this.connections.resume(actor, actor.principal.workspaceId));
  }

  @Get('metadata')
  @ApiOperation({
    summary: 'Cached account metadata: users, pipelines with statuses, contact and lead fields',
  })
  @ApiOkResponse({ type: AmocrmMetadataDto })
  async getMetadata(@CurrentPrincipal() principal: Principal): Promise<AmocrmMetadataDto> {
    const metadata = await this.metadata.getMetadata(principal.workspaceId);
    if (!metadata) throw new NotFoundProblem('amoCRM metadata (connect amoCRM, or refresh it)');
    return AmocrmMetadataDto.from(metadata);
  }

  @Post('metadata/refresh')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reload the metadata from amoCRM now' })
  @ApiOkResponse({ type: AmocrmMetadataDto })
  @ApiResponse(UNAVAILABLE)
  async refreshMetadata(@CurrentPrincipal() principal: Principal): Promise<AmocrmMetadataDto> {
    return AmocrmMetadataDto.from(await this.metadata.refresh(principal.workspaceId, 'interactive'));
  }
}

/** A query parameter as one string (repeated parameters and nested objects are ignored). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, 4096) : undefined;
}
