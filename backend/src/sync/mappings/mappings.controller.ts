import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  RequestActor,
  type AuthenticatedActor,
} from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { pageOf, PageQueryDto, type Page } from '../../http/pagination';
import { ValidationProblem } from '../../http/problem';
import {
  MappingCatalogDto,
  MappingDocumentDto,
  MappingListDto,
  MappingSummaryDto,
  MappingVersionDto,
  MappingVersionPageDto,
  MappingWithProblemsDto,
} from './dto/mapping.dto';
import { MAPPING_DIRECTIONS, type MappingDirection } from './mapping.types';
import { MappingsService } from './mappings.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const NOT_ENABLED = {
  status: 404,
  description: 'The project is not enabled in this workspace',
  content: PROBLEM,
};

/** `:projectId` as a positive integer, else 400 naming it. */
export function parseMappingProjectId(value: string): number {
  const id = /^[1-9]\d{0,14}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id))
    throw new ValidationProblem([
      { field: 'projectId', code: 'isPositive', message: 'projectId must be a positive integer' },
    ]);
  return id;
}

/** `:direction` as one of the two directions, else 400 naming it. */
export function parseMappingDirection(value: string): MappingDirection {
  const direction = MAPPING_DIRECTIONS.find((candidate) => candidate === value);
  if (!direction)
    throw new ValidationProblem([
      {
        field: 'direction',
        code: 'isIn',
        message: `direction must be one of ${MAPPING_DIRECTIONS.join(', ')}`,
      },
    ]);
  return direction;
}

function parseVersion(value: string): number {
  const version = /^\d{1,9}$/.test(value) ? Number(value) : 0;
  if (version < 1)
    throw new ValidationProblem([
      { field: 'version', code: 'isPositive', message: 'version must be a positive integer' },
    ]);
  return version;
}

@ApiTags('mappings')
@Controller('api/v1/mappings')
export class MappingsController {
  constructor(private readonly mappings: MappingsService) {}

  @Get()
  @ApiOperation({
    summary: 'The current field mapping of every enabled LPTracker project and direction, with problems',
  })
  @ApiOkResponse({ type: MappingListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<MappingListDto> {
    const items = await this.mappings.list(principal.workspaceId);
    return Object.assign(new MappingListDto(), { items: items.map((item) => MappingSummaryDto.from(item)) });
  }

  @Get(':projectId/fields')
  @ApiOperation({ summary: 'The fields, stages, pipelines, staff and users the mapping editor picks from' })
  @ApiOkResponse({ type: MappingCatalogDto })
  @ApiResponse(NOT_ENABLED)
  async fields(
    @Param('projectId') projectId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MappingCatalogDto> {
    return MappingCatalogDto.from(
      await this.mappings.catalog(principal.workspaceId, parseMappingProjectId(projectId)),
    );
  }

  @Get(':projectId/:direction')
  @ApiOperation({
    summary: 'The current mapping (made from the default when missing) and what is broken in it',
  })
  @ApiOkResponse({ type: MappingWithProblemsDto })
  @ApiResponse(NOT_ENABLED)
  async get(
    @Param('projectId') projectId: string,
    @Param('direction') direction: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MappingWithProblemsDto> {
    const view = await this.mappings.get(
      principal.workspaceId,
      parseMappingProjectId(projectId),
      parseMappingDirection(direction),
    );
    return MappingWithProblemsDto.withProblems(view);
  }

  @Put(':projectId/:direction')
  @RequireRole('admin')
  @ApiOperation({
    summary:
      'Save a new version of the mapping (checked against both metadata caches; 400 names each wrong path)',
  })
  @ApiBody({ type: MappingDocumentDto })
  @ApiOkResponse({ type: MappingVersionDto })
  @ApiResponse(NOT_ENABLED)
  async save(
    @Param('projectId') projectId: string,
    @Param('direction') direction: string,
    @Body() body: unknown,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<MappingVersionDto> {
    const view = await this.mappings.save(
      actor,
      actor.principal.workspaceId,
      parseMappingProjectId(projectId),
      parseMappingDirection(direction),
      body,
    );
    return MappingVersionDto.from(view);
  }

  @Get(':projectId/:direction/versions')
  @ApiOperation({ summary: 'Every saved version of the mapping, newest first' })
  @ApiOkResponse({ type: MappingVersionPageDto })
  @ApiResponse(NOT_ENABLED)
  async versions(
    @Param('projectId') projectId: string,
    @Param('direction') direction: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<MappingVersionDto>> {
    const { items, total } = await this.mappings.versions(
      principal.workspaceId,
      parseMappingProjectId(projectId),
      parseMappingDirection(direction),
      { skip: (query.page - 1) * query.limit, take: query.limit },
    );
    return pageOf(
      items.map((item) => MappingVersionDto.from(item)),
      total,
      query,
    );
  }

  @Post(':projectId/:direction/versions/:version/restore')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Save a copy of an older version as the new current version' })
  @ApiOkResponse({ type: MappingVersionDto })
  @ApiResponse({ status: 404, description: 'No such project or version', content: PROBLEM })
  async restore(
    @Param('projectId') projectId: string,
    @Param('direction') direction: string,
    @Param('version') version: string,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<MappingVersionDto> {
    const view = await this.mappings.restore(
      actor,
      actor.principal.workspaceId,
      parseMappingProjectId(projectId),
      parseMappingDirection(direction),
      parseVersion(version),
    );
    return MappingVersionDto.from(view);
  }
}
