import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { ReconcileQueuedDto, ReconcileStatusDto } from './dto/reconcile.dto';
import { ReconcileService } from './reconcile.service';

/** Reconciliation of the workspace's mirror with amoCRM (also scheduled every AMOCRM_RECONCILE_INTERVAL). */
@ApiTags('connections')
@Controller('api/v1/connections/amocrm/reconcile')
export class ReconcileController {
  constructor(private readonly reconcile: ReconcileService) {}

  @Get()
  @ApiOperation({
    summary:
      'The last reconciliation pass: when, from when, what it found, whether one is running (any role)',
  })
  @ApiOkResponse({ type: ReconcileStatusDto })
  async status(@CurrentPrincipal() principal: Principal): Promise<ReconcileStatusDto> {
    return ReconcileStatusDto.from(await this.reconcile.status(principal.workspaceId));
  }

  @Post()
  @RequireRole('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Reconcile now: contacts and leads changed in amoCRM since the last good pass are fed through the inbox as `reconcile` events',
  })
  @ApiAcceptedResponse({ type: ReconcileQueuedDto })
  @ApiServiceUnavailableResponse({ description: 'amoCRM is not connected' })
  async request(@RequestActor() actor: AuthenticatedActor): Promise<ReconcileQueuedDto> {
    await this.reconcile.request(actor);
    return { queued: true };
  }
}
