import { Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  RequestActor,
  type AuthenticatedActor,
} from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { LptrackerRotatedSecretDto, LptrackerWebhookDto } from '../dto/lptracker-webhook.dto';
import { LptrackerWebhookService, type LptrackerWebhookState } from './lptracker-webhook.service';

/**
 * The LPTracker callback of the workspace. Every role sees whether it is registered; the URL's secret is shown to
 * admins only (masked for other roles); only admins register, remove and rotate.
 */
@ApiTags('connections')
@Controller('api/v1/connections/lptracker/webhook')
export class LptrackerWebhookController {
  constructor(private readonly webhooks: LptrackerWebhookService) {}

  @Get()
  @ApiOperation({
    summary: 'The callback URL and, per enabled project, whether LPTracker has it and how many others',
  })
  @ApiOkResponse({ type: LptrackerWebhookDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<LptrackerWebhookDto> {
    return toDto(await this.webhooks.state(principal.workspaceId), principal.role === 'admin');
  }

  @Post()
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Add our callback URL to every enabled project, keeping every other callback' })
  @ApiOkResponse({ type: LptrackerWebhookDto })
  @ApiServiceUnavailableResponse({ description: 'LPTracker is not connected or not answering' })
  async register(@RequestActor() actor: AuthenticatedActor): Promise<LptrackerWebhookDto> {
    return toDto(await this.webhooks.register(actor, actor.principal.workspaceId), true);
  }

  @Delete()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Remove only our callback URL from every enabled project' })
  @ApiOkResponse({ type: LptrackerWebhookDto })
  @ApiServiceUnavailableResponse({ description: 'LPTracker is not connected or not answering' })
  async unregister(@RequestActor() actor: AuthenticatedActor): Promise<LptrackerWebhookDto> {
    return toDto(await this.webhooks.unregister(actor, actor.principal.workspaceId), true);
  }

  @Post('rotate-secret')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'New secret in the URL; a registered callback moves to it on every enabled project',
  })
  @ApiOkResponse({ type: LptrackerRotatedSecretDto })
  rotate(@RequestActor() actor: AuthenticatedActor): Promise<LptrackerRotatedSecretDto> {
    return this.webhooks.rotateSecret(actor, actor.principal.workspaceId);
  }
}

/** The URL with its secret masked (all but the last 4 characters) for callers who may not see it. */
export function maskedUrl(url: string): string {
  const cut = url.lastIndexOf('/') + 1;
  return `${url.slice(0, cut)}***${url.slice(-4)}`;
}

function toDto(state: LptrackerWebhookState, revealSecret: boolean): LptrackerWebhookDto {
  return {
    url: revealSecret ? state.url : maskedUrl(state.url),
    wanted: state.wanted,
    projects: state.projects,
    lastReceivedAt: state.lastReceivedAt?.toISOString() ?? null,
  };
}
