import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { IdPipe } from '../http/id.pipe';
import { EventDetailDto, EventListItemDto, EventPageDto, EventStatsDto } from './dto/event.dto';
import { EventQueryDto } from './dto/event-query.dto';
import { BulkReplayDto, BulkReplayResultDto, ReplayEventDto, ReplayResultDto } from './dto/replay.dto';
import { InboxEventsService } from './inbox-events.service';

@ApiTags('events')
@RequireRole('viewer')
@Controller('api/v1/events')
export class InboxEventsController {
  constructor(private readonly events: InboxEventsService) {}

  @Get()
  @ApiOperation({ summary: 'Inbound webhook events of your workspace, newest first' })
  @ApiOkResponse({ type: EventPageDto })
  async list(@Query() query: EventQueryDto, @CurrentPrincipal() principal: Principal): Promise<EventPageDto> {
    const page = await this.events.list(principal.workspaceId, query, query);
    return { ...page, items: page.items.map((row) => EventListItemDto.from(row)) };
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Dashboard: events per minute (last hour), failed count, queue depth, oldest unfinished',
  })
  @ApiOkResponse({ type: EventStatsDto })
  stats(@CurrentPrincipal() principal: Principal): Promise<EventStatsDto> {
    return this.events.statsFor(principal.workspaceId);
  }

  @Post('replay')
  @RequireRole('manager')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Replay every finished event matching a filter (failed ones by default), in the background',
  })
  @ApiAcceptedResponse({ type: BulkReplayResultDto })
  async bulkReplay(
    @Body() body: BulkReplayDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<BulkReplayResultDto> {
    return { count: await this.events.bulkReplay(actor, body.filter, body.mode) };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One event: raw body, headers, parsed changes, every run with its trace and error',
  })
  @ApiOkResponse({ type: EventDetailDto })
  async get(
    @Param('id', IdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventDetailDto> {
    const { event, changes } = await this.events.get(principal.workspaceId, id);
    return EventDetailDto.fromEntity(event, changes);
  }

  @Post(':id/replay')
  @RequireRole('manager')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Process a finished event again, with the settings as received or as they are now',
  })
  @ApiAcceptedResponse({ type: ReplayResultDto })
  @ApiConflictResponse({ description: 'The event is not finished yet, or is a pure duplicate' })
  async replay(
    @Param('id', IdPipe) id: string,
    @Body() body: ReplayEventDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<ReplayResultDto> {
    await this.events.replay(actor, id, body.mode);
    return { id, status: 'queued' };
  }

  @Post(':id/dismiss')
  @RequireRole('manager')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Dismiss a failed event: it leaves the dead letter and is purged with the others',
  })
  @ApiOkResponse({ type: EventListItemDto })
  @ApiConflictResponse({ description: 'Only failed events can be dismissed' })
  async dismiss(
    @Param('id', IdPipe) id: string,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<EventListItemDto> {
    return EventListItemDto.from(await this.events.dismiss(actor, id));
  }
}
