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
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { IdPipe } from '../http/id.pipe';
import { PageQueryDto } from '../http/pagination';
import { RefusePrototypeKeys } from '../http/refuse-prototype-keys.interceptor';
import { ImportDto, ImportPageDto, ImportSummaryDto, PickSheetDto, UploadQueryDto } from './dto/import.dto';
import {
  CreateImportTemplateDto,
  ImportMappingDto,
  ImportMappingViewDto,
  ImportTemplateDto,
} from './dto/import-mapping.dto';
import { ImportLptrackerProjectDto, ImportLptrackerProjectsDto } from './dto/lptracker-projects.dto';
import { ImportAmocrmFieldsDto } from './dto/amocrm-fields.dto';
import type { ImportEntity, ImportTemplateEntity } from './import.entity';
import { ImportsService, type UploadedSpreadsheet } from './imports.service';
import { suggestColumns } from './mapping/column-suggestions';
import { IMPORT_KINDS } from './mapping/import-mapping';
import { UploadLimitFilter } from './upload-limit.filter';
import { ImportProgressDto } from './run/import-progress.dto';
import { ImportRunsService } from './run/import-runs.service';

class ImportTemplateListDto {
  @ApiProperty({ type: [ImportTemplateDto] })
  items!: ImportTemplateDto[];
}

/** Spreadsheet imports: upload and preview, sheet, column mapping, history, templates (issue #14 §1). */
@ApiTags('imports')
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly runs: ImportRunsService,
  ) {}

  @Post()
  @RequireRole('manager')
  @UseFilters(UploadLimitFilter)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOperation({
    summary: 'Upload a spreadsheet (.xlsx, .xls, .csv) and get its preview',
    description:
      'Multipart field `file`, at most IMPORT_MAX_MB (413 above). The answer shows the sheets, the header row ' +
      "(found below title lines), the columns and the first rows; a CSV's encoding (UTF-8 or Windows-1251) and " +
      'delimiter are detected. Column names are the header texts; an empty one becomes «Столбец C», a repeated ' +
      'one gets « (2)», a prototype-like one (`__proto__`, `constructor`) gets « (столбец C)». Formulas are never ' +
      'evaluated (the values the file has cached are shown); zip bombs are refused with 400. Nothing is imported ' +
      'yet: save a mapping next.',
  })
  @ApiCreatedResponse({ type: ImportDto })
  async upload(
    @RequestActor() actor: AuthenticatedActor,
    @UploadedFile() file: UploadedSpreadsheet | undefined,
    @Query() query: UploadQueryDto,
  ): Promise<ImportDto> {
    return viewOf(await this.imports.upload(actor, file, query.sheet));
  }

  @Get()
  @ApiOperation({
    summary: 'Upload history of your workspace (newest first)',
    description:
      'Who uploaded, when, the file, its size and status, what it imports (kind, target, dry run) and the counts ' +
      'of its rows so far: read, created, updated, skipped, failed.',
  })
  @ApiOkResponse({ type: ImportPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<ImportPageDto> {
    const page = await this.imports.list(principal.workspaceId, query);
    return { ...page, items: await this.runs.history(page.items) };
  }

  @Get('templates')
  @ApiOperation({ summary: 'Saved column mappings (templates) of your workspace' })
  @ApiOkResponse({ type: ImportTemplateListDto })
  async templates(@CurrentPrincipal() principal: Principal): Promise<ImportTemplateListDto> {
    const items = await this.imports.listTemplates(principal.workspaceId);
    return { items: items.map(templateOf) };
  }

  @Post('templates')
  @RequireRole('manager')
  @UseInterceptors(RefusePrototypeKeys)
  @ApiOperation({ summary: 'Save a column mapping under a name (409 when the name is taken)' })
  @ApiCreatedResponse({ type: ImportTemplateDto })
  async createTemplate(
    @RequestActor() actor: AuthenticatedActor,
    @Body() body: CreateImportTemplateDto,
  ): Promise<ImportTemplateDto> {
    return templateOf(await this.imports.createTemplate(actor, body));
  }

  @Get('lptracker/projects')
  @ApiOperation({
    summary: 'The LPTracker projects a leads import may target, with the fields a column may feed in each',
    description:
      'The enabled projects (cached metadata): the built-in fields and the custom fields of leads and contacts. ' +
      'A mapping with target lptracker names one as `projectId` when several are enabled.',
  })
  @ApiOkResponse({ type: ImportLptrackerProjectsDto })
  async lptrackerProjects(@CurrentPrincipal() principal: Principal): Promise<ImportLptrackerProjectsDto> {
    const projects = await this.imports.lptrackerProjects(principal.workspaceId);
    return { items: projects.map((project) => ImportLptrackerProjectDto.from(project)) };
  }

  @Get('amocrm/fields')
  @ApiOperation({
    summary: 'The amoCRM custom fields of contacts and leads a column of an import into amoCRM may feed',
    description:
      'From the amoCRM metadata cache (empty before it is loaded): `contact.custom.<id>` and `lead.custom.<id>` with ' +
      'their name, type and options; values are converted as the mapping engine does (numbers, dates, options by ' +
      'their text, yes/no). The built-in fields are not listed.',
  })
  @ApiOkResponse({ type: ImportAmocrmFieldsDto })
  async amocrmFields(@CurrentPrincipal() principal: Principal): Promise<ImportAmocrmFieldsDto> {
    return { items: await this.imports.amocrmFields(principal.workspaceId) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One import: preview, mapping, suggested mappings, status' })
  @ApiOkResponse({ type: ImportDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string): Promise<ImportDto> {
    const entity = await this.imports.get(principal.workspaceId, id);
    return { ...viewOf(entity), progress: ImportProgressDto.from(await this.runs.progressOf(entity)) };
  }

  @Put(':id/sheet')
  @RequireRole('manager')
  @ApiOperation({ summary: 'Preview another sheet of the workbook (the saved mapping is dropped)' })
  @ApiOkResponse({ type: ImportDto })
  async pickSheet(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: PickSheetDto,
  ): Promise<ImportDto> {
    return viewOf(await this.imports.pickSheet(principal.workspaceId, id, body.sheet));
  }

  @Put(':id/mapping')
  @RequireRole('manager')
  @UseInterceptors(RefusePrototypeKeys)
  @ApiOperation({
    summary: 'Save how columns become fields, the duplicate policy and dry run',
    description:
      'Every column named must exist in the file; contacts and leads need a phone or e-mail column. Target ' +
      'lptracker: `projectId` names an enabled project (required when several are enabled) and its custom ' +
      'fields must exist in that project (400 naming `projectId` or `columns.<column>`). amoCRM custom fields ' +
      'while amoCRM is not connected: 409 import-target-not-connected naming `columns.<column>`.',
  })
  @ApiOkResponse({ type: ImportDto })
  async setMapping(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: ImportMappingDto,
  ): Promise<ImportDto> {
    return viewOf(await this.imports.setMapping(principal.workspaceId, id, body));
  }

  @Delete(':id')
  @RequireRole('manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an import and its file (409 while it runs)' })
  @ApiNoContentResponse()
  async delete(@RequestActor() actor: AuthenticatedActor, @Param('id', IdPipe) id: string): Promise<void> {
    await this.imports.delete(actor, id);
  }
}

function viewOf(entity: ImportEntity): ImportDto {
  const target = entity.mapping?.target ?? 'amocrm';
  const suggestions = Object.fromEntries(
    IMPORT_KINDS.map((kind) => [
      kind,
      Object.fromEntries(
        suggestColumns(entity.columns, kind, target).map(({ column, field }) => [column, field]),
      ),
    ]),
  );
  return {
    ...ImportSummaryDto.from(entity),
    sheets: entity.sheets,
    sheet: entity.sheet,
    headerRow: entity.headerRow,
    columns: entity.columns,
    sampleRows: entity.sampleRows,
    csv: entity.csvOptions,
    mapping: entity.mapping ? ImportMappingViewDto.from(entity.mapping) : null,
    suggestions,
  };
}

function templateOf(template: ImportTemplateEntity): ImportTemplateDto {
  return {
    ...ImportMappingViewDto.from(template.mapping),
    id: template.id,
    name: template.name,
    createdBy: template.createdBy,
    createdAt: template.createdAt,
  };
}
