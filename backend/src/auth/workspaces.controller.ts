import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from './current-principal.decorator';
import { IdPipe } from '../http/id.pipe';
// the one check of prototype-like JSON keys (a 400 naming the key), written for the imports' bodies
import { RefusePrototypeKeys } from '../http/refuse-prototype-keys.interceptor';
import {
  CreateWorkspaceDto,
  CurrentWorkspaceDto,
  RenameWorkspaceDto,
  WorkspaceDto,
} from './dto/workspace.dto';
import type { Principal } from './principal';
import { SuperAdminOnly } from './roles.decorator';
import { WorkspacesService } from './workspaces.service';

// Rule for changing workspaces (nobody changes what outranks them): workspaces are the platform level, above any
// workspace admin, so every route here is for the super-admin only (admins and API keys get 403).
@ApiTags('workspaces')
@SuperAdminOnly()
@Controller('api/v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Get()
  @ApiOperation({ summary: 'All workspaces (super-admin)' })
  @ApiOkResponse({ type: [WorkspaceDto] })
  async list(): Promise<WorkspaceDto[]> {
    return (await this.workspaces.list()).map((summary) => WorkspaceDto.from(summary));
  }

  @Patch(':id')
  @UseInterceptors(RefusePrototypeKeys)
  @ApiOperation({ summary: 'Rename a workspace (super-admin; audited)' })
  @ApiOkResponse({ type: WorkspaceDto })
  async rename(
    @Param('id', IdPipe) id: string,
    @Body() body: RenameWorkspaceDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<WorkspaceDto> {
    return WorkspaceDto.from(await this.workspaces.rename(actor, id, body.name));
  }

  @Post(':id/disable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Turn a workspace off (super-admin; audited)',
    description:
      'Its users, sessions and API keys get 403 workspace-disabled until it is turned on; its webhooks are still ' +
      "accepted into the inbox. The super-admin's own workspace cannot be turned off (409).",
  })
  @ApiOkResponse({ type: WorkspaceDto })
  async disable(
    @Param('id', IdPipe) id: string,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<WorkspaceDto> {
    return WorkspaceDto.from(await this.workspaces.setDisabled(actor, id, true));
  }

  @Post(':id/enable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Turn a workspace on again (super-admin; audited)' })
  @ApiOkResponse({ type: WorkspaceDto })
  async enable(
    @Param('id', IdPipe) id: string,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<WorkspaceDto> {
    return WorkspaceDto.from(await this.workspaces.setDisabled(actor, id, false));
  }

  @Post(':id/open')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Act in a workspace (super-admin; audited)',
    description:
      'For the rest of this login session the super-admin acts in the workspace as its admin; what they do is ' +
      'recorded in its audit log under their name. Opening their own workspace goes back home.',
  })
  @ApiOkResponse({ type: CurrentWorkspaceDto })
  async open(
    @Param('id', IdPipe) id: string,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<CurrentWorkspaceDto> {
    return CurrentWorkspaceDto.from(await this.workspaces.open(actor, id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a workspace with its first admin (super-admin)' })
  @ApiCreatedResponse({ type: WorkspaceDto })
  async create(
    @Body() body: CreateWorkspaceDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<WorkspaceDto> {
    return WorkspaceDto.from(await this.workspaces.create(actor, body));
  }
}

/** The caller's own workspace, for the console's top bar: every caller (a key sees the workspace it belongs to). */
@ApiTags('workspaces')
@Controller('api/v1/workspaces/current')
export class CurrentWorkspaceController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Get()
  @ApiOperation({ summary: 'Where the caller acts (and, for a super-admin in another workspace, their own)' })
  @ApiOkResponse({ type: CurrentWorkspaceDto })
  async current(@CurrentPrincipal() principal: Principal): Promise<CurrentWorkspaceDto> {
    return CurrentWorkspaceDto.from(await this.workspaces.current(principal));
  }
}
