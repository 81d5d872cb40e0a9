import { Body, Controller, Get, Param, Patch, Post, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestActor, type AuthenticatedActor } from './current-principal.decorator';
import { IdPipe } from '../http/id.pipe';
// the one check of prototype-like JSON keys (a 400 naming the key), written for the imports' bodies
import { RefusePrototypeKeys } from '../http/refuse-prototype-keys.interceptor';
import { CreateWorkspaceDto, RenameWorkspaceDto, WorkspaceDto } from './dto/workspace.dto';
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
