import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  RequestActor,
  type AuthenticatedActor,
} from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { LptrackerReconcileStatusDto } from '../dto/lptracker-reconcile.dto';
import { LptrackerReconcileService } from './lptracker-reconcile.service';

/** Reconciliation with LPTracker (on demand): leads updated since the last good pass go through the inbox. */
@ApiTags('connections')
@Controller('api/v1/connections/lptracker/reconcile')
export class LptrackerReconcileController {
  constructor(private readonly reconcile: LptrackerReconcileService) {}

  @Get()
  @ApiOperation({
    summary: 'The last LPTracker reconciliation pass: when, from when, what it found (any role)',
  })
  @ApiOkResponse({ type: LptrackerReconcileStatusDto })
  async status(@CurrentPrincipal() principal: Principal): Promise<LptrackerReconcileStatusDto> {
    return LptrackerReconcileStatusDto.from(await this.reconcile.status(principal.workspaceId));
  }

  @Post()
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Reconcile now: leads of every enabled project updated in LPTracker since the last good pass are fed through the inbox (source lptracker-reconcile); answers the pass',
  })
  @ApiOkResponse({ type: LptrackerReconcileStatusDto })
  @ApiServiceUnavailableResponse({ description: 'LPTracker is not connected or not answering' })
  async run(@RequestActor() actor: AuthenticatedActor): Promise<LptrackerReconcileStatusDto> {
    const workspaceId = actor.principal.workspaceId;
    await this.reconcile.run(actor, workspaceId);
    return LptrackerReconcileStatusDto.from(await this.reconcile.status(workspaceId));
  }
}
