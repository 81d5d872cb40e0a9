import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { AuthenticatedActor } from '../auth/current-principal.decorator';
import { AuditService } from '../audit/audit.service';
import {
  NotFoundProblem,
  ValidationProblem,
  ConflictProblem,
  ProblemException,
  problemType,
  type FieldError,
} from '../http/problem';
import { pageOf, type Page, type PageQueryDto } from '../http/pagination';
import type { ImportMappingDto, CreateImportTemplateDto } from './dto/import-mapping.dto';
import { ImportEntity, ImportTemplateEntity } from './import.entity';
import { ImportFileRefused, ImportStateConflict, ImportTargetNotConnected } from './imports.problems';
import { ImportsRepository } from './imports.repository';
import { mappingProblems, type ImportMapping } from './mapping/import-mapping';
import { lptrackerTargetProblems } from './mapping/lptracker-target';
import {
  amocrmCustomColumns,
  amocrmTargetFields,
  amocrmTargetProblems,
  type AmocrmTargetField,
} from './mapping/amocrm-target';
import { SyncMetadataService } from '../sync/sync-metadata.service';
import {
  LptrackerLeadWriteService,
  type LptrackerTargetProject,
} from '../sync/lptracker/lptracker-lead-write.service';
import { sniffFormat } from './parsing/file-preview';
import { runPreview } from './parsing/preview-runner';
import { IMPORT_FORMATS, type FilePreview, type ImportFormat } from './parsing/preview.types';
import { ForbiddenProblem } from '../auth/auth.problems';

/** A file as multer stored it on disk for this request. */
export interface UploadedSpreadsheet {
  originalname: string;
  path: string;
  size: number;
}

/** The problem type of the amoCRM client's "not connected" (AmocrmNotConnectedError; imports/ never imports a CRM client). */
const AMOCRM_NOT_CONNECTED = problemType('amocrm-not-connected');

/** Pieces the stored file is kept in. */
const PIECE_BYTES = 1024 * 1024;

/**
 * Uploads and their preview, the chosen sheet and column mapping, mapping templates. The file is kept in the
 * database in 1 MB pieces rather than on a disk: the api replicas and the worker that will process it share no
 * volume in the compose deployment, and the database is already backed up with the data the import writes.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly audit: AuditService,
    private readonly lptracker: LptrackerLeadWriteService,
    private readonly amocrm: SyncMetadataService,
  ) {}

  async upload(
    actor: AuthenticatedActor,
    file: UploadedSpreadsheet | undefined,
    sheet?: string,
  ): Promise<ImportEntity> {
    const principal = actor.principal;
    if (!file)
      throw new ValidationProblem([
        {
          field: 'file',
          code: 'required',
          message: 'file must be a spreadsheet sent as the multipart field "file"',
        },
      ]);
    try {
      const format = formatOf(file.originalname);
      if (!(await sniffFormat(file.path, format)))
        throw new ImportFileRefused(
          'file',
          'wrongType',
          `The file's content is not what its .${format} name says.`,
        );
      const preview = await this.preview(file.path, format, sheet);
      const entity = Object.assign(new ImportEntity(), {
        workspaceId: principal.workspaceId,
        uploadedByKind: principal.kind,
        uploadedById: principal.id,
        uploadedBy: principal.label.slice(0, 255),
        fileName: cleanFileName(file.originalname),
        sizeBytes: file.size,
        format,
        status: 'uploaded' as const,
        mapping: null,
        ...previewColumns(preview),
      });
      await this.imports.insertWithFile(entity, createReadStream(file.path, { highWaterMark: PIECE_BYTES }));
      await this.audit.record(actor, {
        action: 'import.uploaded',
        targetType: 'import',
        targetId: entity.id,
        details: { fileName: entity.fileName, size: entity.sizeBytes, format },
      });
      return (await this.imports.findById(principal.workspaceId, entity.id)) ?? entity;
    } finally {
      await rm(file.path, { force: true });
    }
  }

  async list(workspaceId: string, page: PageQueryDto): Promise<Page<ImportEntity>> {
    const [items, total] = await this.imports.list(workspaceId, (page.page - 1) * page.limit, page.limit);
    return pageOf(items, total, page);
  }

  async get(workspaceId: string, id: string): Promise<ImportEntity> {
    const found = await this.imports.findById(workspaceId, id);
    if (!found) throw new NotFoundProblem('The import');
    return found;
  }

  /** Shows another sheet of the workbook (the mapping, made for the old columns, is dropped). */
  async pickSheet(workspaceId: string, id: string, sheet: string): Promise<ImportEntity> {
    const found = await this.editable(workspaceId, id);
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    try {
      const path = join(dir, `file.${found.format}`);
      await pipeline(Readable.from(this.imports.fileOf(workspaceId, id)), createWriteStream(path));
      const preview = await this.preview(path, found.format, sheet);
      await this.imports.update(workspaceId, id, { ...previewColumns(preview), mapping: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return this.get(workspaceId, id);
  }

  async setMapping(workspaceId: string, id: string, body: ImportMappingDto): Promise<ImportEntity> {
    const found = await this.editable(workspaceId, id);
    const mapping = mappingOf(body, new Set(found.columns.map((column) => column.name)));
    const errors = await this.targetProblems(workspaceId, mapping);
    if (errors.length > 0) throw new ValidationProblem(errors);
    await this.imports.update(workspaceId, id, { mapping });
    return this.get(workspaceId, id);
  }

  /** The enabled LPTracker projects an import may target, with their custom fields. */
  lptrackerProjects(workspaceId: string): Promise<LptrackerTargetProject[]> {
    return this.lptracker.projects(workspaceId);
  }

  /** The amoCRM custom fields of contacts and leads an import may write (metadata cache; empty before it loads). */
  async amocrmFields(workspaceId: string): Promise<AmocrmTargetField[]> {
    return amocrmTargetFields(await this.amocrm.cached(workspaceId));
  }

  /**
   * Problems of the mapping's target now (an LPTracker project disabled since, a field it lost; an amoCRM custom
   * field unknown to the metadata, reloaded once when older than a minute), or none. amoCRM custom fields while
   * amoCRM is not connected: ImportTargetNotConnected (409).
   */
  async targetProblems(workspaceId: string, mapping: ImportMapping): Promise<FieldError[]> {
    if (mapping.target === 'amocrm') {
      const custom = amocrmCustomColumns(mapping);
      if (custom.length === 0) return [];
      try {
        const { problems } = await this.amocrm.validated(workspaceId, (metadata) =>
          amocrmTargetProblems(mapping, metadata),
        );
        return problems;
      } catch (error) {
        // the workspace's state, not amoCRM being down: 409 naming the columns (the client says 503 for amoCRM)
        if (error instanceof ProblemException && error.problem.type === AMOCRM_NOT_CONNECTED)
          throw new ImportTargetNotConnected(custom.map(({ column }) => column));
        throw error;
      }
    }
    return lptrackerTargetProblems(mapping, await this.lptracker.projects(workspaceId));
  }

  async delete(actor: AuthenticatedActor, id: string): Promise<void> {
    const workspaceId = actor.principal.workspaceId;
    const found = await this.get(workspaceId, id);
    const { principal } = actor;
    // a manager deletes only what they uploaded; an admin's (or another's) upload stays theirs
    if (
      principal.role !== 'admin' &&
      !(found.uploadedByKind === principal.kind && found.uploadedById === principal.id)
    )
      throw new ForbiddenProblem('Only the one who uploaded this file or an admin may delete it.');
    if (found.status === 'parsing' || found.status === 'processing')
      throw new ConflictProblem('The import is running: cancel it before deleting it.', 'import-state');
    if (!(await this.imports.delete(workspaceId, id))) throw new NotFoundProblem('The import');
    await this.audit.record(actor, {
      action: 'import.deleted',
      targetType: 'import',
      targetId: id,
      details: { fileName: found.fileName },
    });
  }

  listTemplates(workspaceId: string): Promise<ImportTemplateEntity[]> {
    return this.imports.listTemplates(workspaceId);
  }

  async createTemplate(
    actor: AuthenticatedActor,
    body: CreateImportTemplateDto,
  ): Promise<ImportTemplateEntity> {
    const principal = actor.principal;
    const template = Object.assign(new ImportTemplateEntity(), {
      workspaceId: principal.workspaceId,
      name: body.name.trim(),
      mapping: mappingOf(body, null),
      createdBy: principal.label.slice(0, 255),
    });
    if (!(await this.imports.insertTemplate(template)))
      throw new ConflictProblem(
        `A template named "${template.name}" exists already.`,
        'import-template-exists',
      );
    await this.audit.record(actor, {
      action: 'import.template_saved',
      targetType: 'import_template',
      targetId: template.id,
      details: { name: template.name, kind: template.mapping.kind },
    });
    return template;
  }

  private async editable(workspaceId: string, id: string): Promise<ImportEntity> {
    const found = await this.get(workspaceId, id);
    if (found.status !== 'uploaded') throw new ImportStateConflict(found.status);
    return found;
  }

  private async preview(path: string, format: ImportFormat, sheet?: string): Promise<FilePreview> {
    const outcome = await runPreview({ path, format, sheet });
    if (outcome.ok) return outcome.preview;
    const { reason, message } = outcome.refusal;
    throw new ImportFileRefused(reason === 'no_such_sheet' ? 'sheet' : 'file', reason, message);
  }
}

function formatOf(fileName: string): ImportFormat {
  const extension = extname(fileName).slice(1).toLowerCase();
  const format = IMPORT_FORMATS.find((known) => known === extension);
  if (!format)
    throw new ImportFileRefused('file', 'wrongType', 'file must be an .xlsx, .xls or .csv spreadsheet');
  return format;
}

/** The name shown in the history: no path, no control characters, at most 255 characters. */
function cleanFileName(name: string): string {
  return (
    basename(name.replace(/\\/g, '/'))
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .slice(0, 255) || 'file'
  );
}

function previewColumns(preview: FilePreview): Partial<ImportEntity> {
  return {
    sheets: preview.sheets,
    sheet: preview.sheet,
    headerRow: preview.headerRow,
    columns: preview.columns,
    sampleRows: preview.sampleRows,
    csvOptions: preview.csv,
  };
}

/** The mapping of a request, checked against the file's column names (templates: `known` null, fields only). */
function mappingOf(body: ImportMappingDto, known: ReadonlySet<string> | null): ImportMapping {
  const target = body.target ?? 'amocrm';
  const columns = Object.entries(body.columns).map(([column, field]) => ({ column, field }));
  const errors = mappingProblems(body.kind, target, columns, known);
  const projectId = body.projectId ?? null;
  if (projectId !== null && target !== 'lptracker')
    errors.push({
      field: 'projectId',
      code: 'notAllowed',
      message: 'projectId is only for target lptracker',
    });
  if (errors.length > 0) throw new ValidationProblem(errors);
  return {
    kind: body.kind,
    target,
    columns,
    dedupe: body.dedupe,
    dryRun: body.dryRun ?? false,
    ...(target === 'lptracker' ? { projectId } : {}),
  };
}
