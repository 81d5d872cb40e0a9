import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  RequestActor,
  type AuthenticatedActor,
} from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { AmocrmWebhookDto, RotatedSecretDto, SubscribeWebhookDto } from '../dto/amocrm-webhook.dto';
import { AmocrmWebhookService, type AmocrmWebhookState } from './amocrm-webhook.service';

/** The amoCRM webhook of the workspace: its URL reveals the secret, so only admins see and change it. */
@ApiTags('connections')
@RequireRole('admin')
@Controller('api/v1/connections/amocrm/webhook')
export class AmocrmWebhookController {
  constructor(private readonly webhooks: AmocrmWebhookService) {}

  @Get()
  @ApiOperation({
    summary: 'The amoCRM webhook URL, its subscribed events, whether amoCRM has it, drift, last delivery',
  })
  @ApiOkResponse({ type: AmocrmWebhookDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<AmocrmWebhookDto> {
    return toDto(await this.webhooks.state(principal.workspaceId));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Subscribe the URL in amoCRM to exactly these events (never two hooks for one URL)',
  })
  @ApiOkResponse({ type: AmocrmWebhookDto })
  @ApiServiceUnavailableResponse({ description: 'amoCRM is not connected, paused or not answering' })
  async subscribe(
    @Body() body: SubscribeWebhookDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<AmocrmWebhookDto> {
    return toDto(await this.webhooks.subscribe(actor, body.events));
  }

  @Delete()
  @ApiOperation({ summary: 'Remove the subscription of the URL from amoCRM' })
  @ApiOkResponse({ type: AmocrmWebhookDto })
  @ApiServiceUnavailableResponse({ description: 'amoCRM is not connected, paused or not answering' })
  async unsubscribe(@RequestActor() actor: AuthenticatedActor): Promise<AmocrmWebhookDto> {
    return toDto(await this.webhooks.unsubscribe(actor));
  }

  @Post('rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'New secret in the URL; the old URL stops working within seconds; a subscription moves along',
  })
  @ApiOkResponse({ type: RotatedSecretDto })
  rotate(@RequestActor() actor: AuthenticatedActor): Promise<RotatedSecretDto> {
    return this.webhooks.rotateSecret(actor);
  }
}

function toDto(state: AmocrmWebhookState): AmocrmWebhookDto {
  return { ...state, lastReceivedAt: state.lastReceivedAt?.toISOString() ?? null };
}
