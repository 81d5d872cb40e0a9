import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  type PipeTransform,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CurrentPrincipal,
  RequestActor,
  type AuthenticatedActor,
} from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { IdPipe } from '../../http/id.pipe';
import { ValidationProblem } from '../../http/problem';
import {
  ReorderRulesDto,
  RULE_BODY_SCHEMA,
  RuleCatalogDto,
  RuleDiffDto,
  RuleDiffQueryDto,
  RuleDto,
  RuleImportResultDto,
  RulePageDto,
  RuleQueryDto,
  RuleSetDto,
  RuleVersionDto,
  RuleVersionPageDto,
} from './dto/rule.dto';
import { RuleActivityService } from './rule-activity.service';
import { ruleCatalog } from './rule-catalog';
import { RuleTransferService } from './rule-transfer.service';
import { RuleValidationService } from './rule-validation.service';
import { RulesService } from './rules.service';

/** `:version` path parameters: a version number (decimal digits, leading zeros allowed), else 400 naming it. */
class VersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,12}$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000_000)
      throw new ValidationProblem([
        { field: 'version', message: 'version must be a version number', code: 'isInt' },
      ]);
    return Number(value);
  }
}

/**
 * Rules (issue #13 §1): every role reads, admins change. Bodies are checked by `RuleValidationService` (shape,
 * caps, prototype keys, then the metadata caches), errors naming the path (`conditions.any[1].all[0].value`).
 */
@ApiTags('rules')
@Controller('api/v1/rules')
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly transfer: RuleTransferService,
    private readonly validation: RuleValidationService,
    private readonly activity: RuleActivityService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The rules of your workspace in running order (lower priority first)' })
  @ApiOkResponse({ type: RulePageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: RuleQueryDto): Promise<RulePageDto> {
    const [rules, total] = await this.rules.page(principal.workspaceId, query.page, query.limit);
    const activity = await this.activity.of(
      principal.workspaceId,
      rules.map((rule) => rule.id),
    );
    const items = rules.map((rule) => ({
      ...RuleDto.from(rule),
      ...(activity.get(rule.id) ?? { lastFiredAt: null, matches24h: 0 }),
    }));
    return { items, total, page: query.page, limit: query.limit };
  }

  @Post()
  @RequireRole('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a rule (version 1); without a priority it runs after the others' })
  @ApiBody({ schema: RULE_BODY_SCHEMA })
  @ApiCreatedResponse({ type: RuleDto })
  async create(@RequestActor() actor: AuthenticatedActor, @Body() body: unknown): Promise<RuleDto> {
    return RuleDto.from(await this.rules.create(actor, actor.principal.workspaceId, body));
  }

  @Get('export')
  @ApiOperation({ summary: 'The whole rule set as JSON (what import takes back)' })
  @ApiOkResponse({ type: RuleSetDto })
  export(@CurrentPrincipal() principal: Principal): Promise<RuleSetDto> {
    return this.transfer.export(principal.workspaceId);
  }

  @Get('fields')
  @ApiOperation({
    summary:
      'What rules can read: the fields of both systems (from the metadata caches) with types and option names, the operators per type, sources, events and action types',
  })
  @ApiOkResponse({ type: RuleCatalogDto })
  async fields(@CurrentPrincipal() principal: Principal): Promise<RuleCatalogDto> {
    return ruleCatalog(await this.validation.metadata(principal.workspaceId));
  }

  @Post('import')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Import a rule set: checked as a whole, all or nothing; mode append (default) or replace',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { mode: { enum: ['append', 'replace'] }, rules: { type: 'array' } },
    },
  })
  @ApiOkResponse({ type: RuleImportResultDto })
  async import(
    @RequestActor() actor: AuthenticatedActor,
    @Body() body: unknown,
  ): Promise<RuleImportResultDto> {
    const result = await this.transfer.import(actor, actor.principal.workspaceId, body);
    return { ...result, created: result.created.map((rule) => RuleDto.from(rule)) };
  }

  @Post('reorder')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Put every rule in a new running order (priorities become 10, 20, 30…)' })
  @ApiOkResponse({ type: [RuleDto] })
  async reorder(
    @RequestActor() actor: AuthenticatedActor,
    @Body() body: ReorderRulesDto,
  ): Promise<RuleDto[]> {
    const rules = await this.rules.reorder(actor, actor.principal.workspaceId, body.ids);
    return rules.map((rule) => RuleDto.from(rule));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule' })
  @ApiOkResponse({ type: RuleDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string): Promise<RuleDto> {
    return RuleDto.from(await this.rules.get(principal.workspaceId, id));
  }

  @Put(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Replace a rule (a new version); without a priority it keeps its place' })
  @ApiBody({ schema: RULE_BODY_SCHEMA })
  @ApiOkResponse({ type: RuleDto })
  async update(
    @RequestActor() actor: AuthenticatedActor,
    @Param('id', IdPipe) id: string,
    @Body() body: unknown,
  ): Promise<RuleDto> {
    return RuleDto.from(await this.rules.update(actor, actor.principal.workspaceId, id, body));
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a rule (its versions are kept for events received before)' })
  @ApiNoContentResponse()
  async remove(@RequestActor() actor: AuthenticatedActor, @Param('id', IdPipe) id: string): Promise<void> {
    await this.rules.remove(actor, actor.principal.workspaceId, id);
  }

  @Post(':id/enable')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enable a rule (a new version unless it already is)' })
  @ApiOkResponse({ type: RuleDto })
  async enable(@RequestActor() actor: AuthenticatedActor, @Param('id', IdPipe) id: string): Promise<RuleDto> {
    return RuleDto.from(await this.rules.setEnabled(actor, actor.principal.workspaceId, id, true));
  }

  @Post(':id/disable')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Disable a rule (a new version unless it already is)' })
  @ApiOkResponse({ type: RuleDto })
  async disable(
    @RequestActor() actor: AuthenticatedActor,
    @Param('id', IdPipe) id: string,
  ): Promise<RuleDto> {
    return RuleDto.from(await this.rules.setEnabled(actor, actor.principal.workspaceId, id, false));
  }

  @Post(':id/duplicate')
  @RequireRole('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Copy a rule right after it, disabled, named «… (копия)»' })
  @ApiCreatedResponse({ type: RuleDto })
  async duplicate(
    @RequestActor() actor: AuthenticatedActor,
    @Param('id', IdPipe) id: string,
  ): Promise<RuleDto> {
    return RuleDto.from(await this.rules.duplicate(actor, actor.principal.workspaceId, id));
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'The versions of a rule, newest first (who, when, why)' })
  @ApiOkResponse({ type: RuleVersionPageDto })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Query() query: RuleQueryDto,
  ): Promise<RuleVersionPageDto> {
    const [rows, total] = await this.rules.versions(principal.workspaceId, id, query.page, query.limit);
    if (total === 0) await this.rules.get(principal.workspaceId, id);
    return {
      items: rows.map((row) => RuleVersionDto.from(row)),
      total,
      page: query.page,
      limit: query.limit,
    };
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version of a rule' })
  @ApiOkResponse({ type: RuleVersionDto })
  async version(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Param('version', VersionPipe) version: number,
  ): Promise<RuleVersionDto> {
    return RuleVersionDto.from(await this.rules.version(principal.workspaceId, id, version));
  }

  @Get(':id/diff')
  @ApiOperation({ summary: 'What changed between two versions of a rule, by path' })
  @ApiOkResponse({ type: RuleDiffDto })
  diff(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Query() query: RuleDiffQueryDto,
  ): Promise<RuleDiffDto> {
    return this.rules.diff(principal.workspaceId, id, query.from, query.to);
  }

  @Post(':id/versions/:version/restore')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Save an older version as the newest (checked against today’s metadata)' })
  @ApiOkResponse({ type: RuleDto })
  async restore(
    @RequestActor() actor: AuthenticatedActor,
    @Param('id', IdPipe) id: string,
    @Param('version', VersionPipe) version: number,
  ): Promise<RuleDto> {
    return RuleDto.from(await this.rules.restore(actor, actor.principal.workspaceId, id, version));
  }
}
