import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { NotFoundProblem, ValidationProblem } from '../http/problem';
import { LptrackerConnectionsService } from './connection/lptracker-connections.service';
import { LptrackerProjectsService } from './connection/lptracker-projects.service';
import { ConnectLptrackerDto, EnableLptrackerProjectDto } from './dto/connect-lptracker.dto';
import {
  LptrackerConnectionDto,
  LptrackerProjectsDto,
  LptrackerVisibleProjectDto,
} from './dto/lptracker-connection.dto';
import { LptrackerMetadataDto } from './dto/lptracker-metadata.dto';
import { LptrackerMetadataService } from './metadata/lptracker-metadata.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const UNAVAILABLE = {
  status: 503,
  description:
    'LPTracker is not connected, needs a reconnect, or is unavailable; Retry-After says when to try again',
  content: PROBLEM,
};
const REFUSED = { status: 502, description: 'LPTracker refused the request', content: PROBLEM };

@ApiTags('lptracker')
@Controller('api/v1/connections/lptracker')
export class LptrackerController {
  constructor(
    private readonly connections: LptrackerConnectionsService,
    private readonly projects: LptrackerProjectsService,
    private readonly metadata: LptrackerMetadataService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The LPTracker connection of your workspace (any role: the console shows it to all)',
  })
  @ApiOkResponse({ type: LptrackerConnectionDto })
  async status(@CurrentPrincipal() principal: Principal): Promise<LptrackerConnectionDto> {
    return LptrackerConnectionDto.from(await this.connections.state(principal.workspaceId));
  }

  @Put()
  @RequireRole('admin')
  @ApiOperation({
    summary:
      'Connect LPTracker: logs in, checks the project, stores the password encrypted and enables the project',
  })
  @ApiOkResponse({ type: LptrackerConnectionDto })
  @ApiResponse(UNAVAILABLE)
  async connect(
    @Body() body: ConnectLptrackerDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<LptrackerConnectionDto> {
    return LptrackerConnectionDto.from(
      await this.connections.connect(actor, actor.principal.workspaceId, {
        login: body.login,
        password: body.password,
        projectId: body.projectId,
      }),
    );
  }

  @Delete()
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Disconnect LPTracker: password and token wiped, projects disabled (history kept)',
  })
  @ApiNoContentResponse()
  async disconnect(@RequestActor() actor: AuthenticatedActor): Promise<void> {
    await this.connections.disconnect(actor, actor.principal.workspaceId);
  }

  @Post('check')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Ask LPTracker now (logging in again if the token died); records lastOkAt or lastError',
  })
  @ApiOkResponse({ type: LptrackerConnectionDto })
  @ApiResponse(UNAVAILABLE)
  async check(@CurrentPrincipal() principal: Principal): Promise<LptrackerConnectionDto> {
    return LptrackerConnectionDto.from(await this.connections.check(principal.workspaceId));
  }

  @Get('projects')
  @ApiOperation({
    summary: 'Every project the LPTracker login sees, the enabled ones marked (asked from LPTracker)',
  })
  @ApiOkResponse({ type: LptrackerProjectsDto })
  @ApiResponse(UNAVAILABLE)
  async listProjects(@CurrentPrincipal() principal: Principal): Promise<LptrackerProjectsDto> {
    const items = await this.projects.listVisible(principal.workspaceId);
    return { items: items.map((project) => LptrackerVisibleProjectDto.from(project)) };
  }

  @Post('projects')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enable one more project of the login (its metadata is loaded)' })
  @ApiOkResponse({ type: LptrackerConnectionDto })
  @ApiResponse(UNAVAILABLE)
  @ApiResponse(REFUSED)
  async enableProject(
    @Body() body: EnableLptrackerProjectDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<LptrackerConnectionDto> {
    await this.projects.enable(actor, actor.principal.workspaceId, body.projectId);
    return LptrackerConnectionDto.from(await this.connections.state(actor.principal.workspaceId));
  }

  @Delete('projects/:projectId')
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Disable a project: nothing more is taken from it; what was recorded is kept' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, description: 'No enabled project with this id', content: PROBLEM })
  async disableProject(
    @Param('projectId') projectId: string,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<void> {
    await this.projects.disable(actor, actor.principal.workspaceId, parseProjectId(projectId));
  }

  @Get('metadata')
  @ApiOperation({
    summary: 'Cached metadata of the enabled projects: lead fields, contact fields, stages, staff',
  })
  @ApiOkResponse({ type: LptrackerMetadataDto })
  async getMetadata(@CurrentPrincipal() principal: Principal): Promise<LptrackerMetadataDto> {
    const projects = await this.metadata.getMetadata(principal.workspaceId);
    if (projects.length === 0)
      throw new NotFoundProblem('LPTracker metadata (connect LPTracker, or refresh it)');
    return LptrackerMetadataDto.from(projects);
  }

  @Post('metadata/refresh')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reload the metadata of every enabled project from LPTracker now' })
  @ApiOkResponse({ type: LptrackerMetadataDto })
  @ApiResponse(UNAVAILABLE)
  async refreshMetadata(@CurrentPrincipal() principal: Principal): Promise<LptrackerMetadataDto> {
    return LptrackerMetadataDto.from(await this.metadata.refresh(principal.workspaceId, 'interactive'));
  }
}

/**
 * `:projectId` of the path, read as text (the global pipe would turn `1e3` into 1000): LPTracker's project ids are
 * positive whole numbers in plain digits.
 */
function parseProjectId(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) <= 0)
    throw new ValidationProblem([
      { field: 'projectId', message: 'projectId must be a positive whole number', code: 'isInt' },
    ]);
  return Number(value);
}
