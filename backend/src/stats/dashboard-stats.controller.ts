import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { DashboardChecklistService } from './dashboard-checklist.service';
import { DashboardCrmService } from './dashboard-crm.service';
import {
  AmocrmRateDto,
  CapacityDto,
  ChecklistDto,
  FlowDto,
  FlowQueryDto,
  FunnelDto,
} from './dashboard-stats.dto';
import { DashboardStatsService } from './dashboard-stats.service';
import { RefusePrototypeQueryKeys } from './prototype-query.interceptor';

/** The dashboard's charts and first-steps checklist: reads, open to every role of the workspace. */
@ApiTags('dashboard')
@RequireRole('viewer')
@UseInterceptors(RefusePrototypeQueryKeys)
@Controller('api/v1/dashboard')
export class DashboardStatsController {
  constructor(
    private readonly stats: DashboardStatsService,
    private readonly crm: DashboardCrmService,
    private readonly checklists: DashboardChecklistService,
  ) {}

  @Get('flow')
  @ApiOperation({
    summary: 'Events by outcome (done, skipped, retried, failed) per hour or day, from the inbox',
  })
  @ApiOkResponse({ type: FlowDto })
  flow(@Query() query: FlowQueryDto, @CurrentPrincipal() principal: Principal): Promise<FlowDto> {
    const range = query.range ?? '24h';
    const bucket = query.bucket ?? (range === '7d' ? 'day' : 'hour');
    return this.stats.flow(principal.workspaceId, range, bucket);
  }

  @Get('capacity')
  @ApiOperation({
    summary:
      'Measured webhooks/s and events/s over the last day vs the peak minute; lag, advice. Of the whole ' +
      "installation for the platform super-admin, of the caller's workspace for everybody else (scope says which)",
  })
  @ApiOkResponse({ type: CapacityDto })
  capacity(@CurrentPrincipal() principal: Principal): Promise<CapacityDto> {
    const installation = principal.kind === 'user' && principal.isSuperAdmin;
    return this.stats.capacity(installation ? 'installation' : 'workspace', principal.workspaceId);
  }

  @Get('funnel')
  @ApiOperation({ summary: 'Leads of the mirror by stage of each pipeline, named from the amoCRM metadata' })
  @ApiOkResponse({ type: FunnelDto })
  funnel(@CurrentPrincipal() principal: Principal): Promise<FunnelDto> {
    return this.crm.funnel(principal.workspaceId);
  }

  @Get('amocrm-rate')
  @ApiOperation({ summary: 'amoCRM requests per second by lane over the last hour, against the budget' })
  @ApiOkResponse({ type: AmocrmRateDto })
  amocrmRate(@CurrentPrincipal() principal: Principal): Promise<AmocrmRateDto> {
    return this.crm.amocrmRate(principal.workspaceId);
  }

  @Get('checklist')
  @ApiOperation({ summary: 'First steps of the workspace, each ticked from its stored state' })
  @ApiOkResponse({ type: ChecklistDto })
  checklist(@CurrentPrincipal() principal: Principal): Promise<ChecklistDto> {
    return this.checklists.checklist(principal.workspaceId);
  }
}
