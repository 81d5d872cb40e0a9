import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { ConflictProblem, ValidationProblem, type FieldError } from '../../http/problem';
import type { CellValue } from '../export/cell-safety';
import { ImportSummaryDto, type ImportHistoryItemDto } from '../dto/import.dto';
import { xlsxChunks } from '../export/xlsx-writer';
import type { ImportEntity, ImportStatus } from '../import.entity';
import { ImportsService } from '../imports.service';
import type { RowStatus } from './import-row.entity';
import { ImportRowsRepository } from './import-rows.repository';
import { enqueueRun, IMPORTS_QUEUE, type RunImportJobData } from './import-run.constants';

/** The persisted progress of an import (GET /imports/:id, the live stream). */
export interface ImportProgress {
  status: ImportStatus;
  dryRun: boolean;
  /** Rows read from the file so far; final once `staged`. */
  totalRows: number;
  staged: boolean;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When the rows left should be done, from the pace so far (null until it can be told). */
  eta: Date | null;
  /** Why the whole import failed, in Russian. */
  error: string | null;
}

const RUNNING: readonly ImportStatus[] = ['parsing', 'processing'];
const REPORT_PAGE = 1000;
const STATUS_RU: Record<RowStatus, string> = {
  pending: 'не обработана',
  created: 'создана',
  updated: 'обновлена',
  skipped: 'пропущена',
  failed: 'ошибка',
};
const DRY_STATUS_RU: Record<RowStatus, string> = {
  pending: 'не проверена',
  created: 'будет создана',
  updated: 'будет обновлена',
  skipped: 'будет пропущена',
  failed: 'ошибка',
};

/** Start, pause, resume and cancel of an import's background run, its progress and its per-row report. */
@Injectable()
export class ImportRunsService {
  constructor(
    private readonly imports: ImportsService,
    private readonly rows: ImportRowsRepository,
    @InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue<RunImportJobData>,
  ) {}

  async start(workspaceId: string, id: string): Promise<ImportProgress> {
    const found = await this.imports.get(workspaceId, id);
    if (!found.mapping)
      throw new ConflictProblem(
        'Save a column mapping first (PUT /api/v1/imports/{id}/mapping).',
        'import-mapping-missing',
      );
    if (found.status !== 'uploaded') throw runConflict(found.status);
    const refused = [...notYet(found), ...(await this.imports.targetProblems(workspaceId, found.mapping))];
    if (refused.length > 0) throw new ValidationProblem(refused, 'This import cannot run yet: see errors.');
    await this.rows.startRun(workspaceId, id);
    if (!(await this.rows.moveStatus(id, 'parsing', ['uploaded'])))
      throw runConflict((await this.imports.get(workspaceId, id)).status);
    await this.enqueue(workspaceId, id);
    return this.progress(workspaceId, id);
  }

  async pause(workspaceId: string, id: string): Promise<ImportProgress> {
    const found = await this.imports.get(workspaceId, id);
    if (!(await this.rows.moveStatus(id, 'paused', RUNNING)))
      throw new ConflictProblem(
        `The import is ${found.status}: only a running import can be paused.`,
        'import-state',
      );
    return this.progress(workspaceId, id);
  }

  async resume(workspaceId: string, id: string): Promise<ImportProgress> {
    const found = await this.imports.get(workspaceId, id);
    const run = await this.rows.runOf(id);
    const to = run?.staged ? 'processing' : 'parsing';
    if (!(await this.rows.moveStatus(id, to, ['paused'])))
      throw new ConflictProblem(
        `The import is ${found.status}: only a paused import can be resumed.`,
        'import-state',
      );
    await this.enqueue(workspaceId, id);
    return this.progress(workspaceId, id);
  }

  async cancel(workspaceId: string, id: string): Promise<ImportProgress> {
    const found = await this.imports.get(workspaceId, id);
    if (!(await this.rows.moveStatus(id, 'cancelled', [...RUNNING, 'paused'])))
      throw new ConflictProblem(
        `The import is ${found.status}: only a running or paused import can be cancelled.`,
        'import-state',
      );
    await this.rows.updateRun(id, { finishedAt: new Date() });
    return this.progress(workspaceId, id);
  }

  async progress(workspaceId: string, id: string): Promise<ImportProgress> {
    return this.progressOf(await this.imports.get(workspaceId, id));
  }

  async progressOf(entity: ImportEntity): Promise<ImportProgress> {
    const run = await this.rows.runOf(entity.id);
    const counts = run
      ? await this.rows.counts(entity.id)
      : { pending: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
    const processed = counts.created + counts.updated + counts.skipped + counts.failed;
    const totalRows = run?.totalRows ?? 0;
    let eta: Date | null = null;
    if (run?.staged && entity.status === 'processing' && processed > 0) {
      const elapsed = Date.now() - run.startedAt.getTime();
      eta = new Date(Date.now() + Math.round(((totalRows - processed) * elapsed) / processed));
    }
    return {
      status: entity.status,
      dryRun: entity.mapping?.dryRun ?? false,
      totalRows,
      staged: run?.staged ?? false,
      processed,
      created: counts.created,
      updated: counts.updated,
      skipped: counts.skipped,
      failed: counts.failed,
      startedAt: run?.startedAt ?? null,
      finishedAt: run?.finishedAt ?? null,
      eta,
      error: run?.error ?? null,
    };
  }

  /** The history's lines: each import with its run's row counts (two queries for the whole page). */
  async history(entities: readonly ImportEntity[]): Promise<ImportHistoryItemDto[]> {
    const ids = entities.map((entity) => entity.id);
    const [counts, runs] = await Promise.all([this.rows.countsOf(ids), this.rows.runsOf(ids)]);
    const runOf = new Map(runs.map((run) => [run.importId, run]));
    return entities.map((entity) => {
      const count = counts.get(entity.id);
      const run = runOf.get(entity.id);
      return {
        ...ImportSummaryDto.from(entity),
        kind: entity.mapping?.kind ?? null,
        target: entity.mapping?.target ?? null,
        dryRun: entity.mapping?.dryRun ?? false,
        totalRows: run?.totalRows ?? 0,
        created: count?.created ?? 0,
        updated: count?.updated ?? 0,
        skipped: count?.skipped ?? 0,
        failed: count?.failed ?? 0,
        startedAt: run?.startedAt.toISOString() ?? null,
        finishedAt: run?.finishedAt?.toISOString() ?? null,
      };
    });
  }

  /**
   * The report: the original rows plus outcome, amoCRM ids (and the LPTracker lead of an LPTracker target) and the
   * reason in Russian (streamed, page by page).
   */
  async report(workspaceId: string, id: string): Promise<{ name: string; chunks: AsyncIterable<Buffer> }> {
    const entity = await this.imports.get(workspaceId, id);
    const labels = entity.mapping?.dryRun ? DRY_STATUS_RU : STATUS_RU;
    const lptracker = entity.mapping?.target === 'lptracker';
    const headers = [
      'Строка',
      ...entity.columns.map((column) => column.name),
      'Итог',
      'Контакт amoCRM',
      'Сделка amoCRM',
      ...(lptracker ? ['Заявка LPTracker'] : []),
      'Пояснение',
    ];
    const rows = this.rows;
    async function* pages(): AsyncGenerator<CellValue[][]> {
      for (let after = 0; ;) {
        const page = await rows.page(id, after, REPORT_PAGE);
        if (page.length === 0) return;
        after = page[page.length - 1].rowNumber;
        yield page.map((row) => [
          row.rowNumber,
          ...entity.columns.map((_, index) => row.cells[index] ?? null),
          labels[row.status],
          row.amocrmContactId === null ? null : Number(row.amocrmContactId),
          row.amocrmLeadId === null ? null : Number(row.amocrmLeadId),
          ...(lptracker ? [row.lptrackerLeadId === null ? null : Number(row.lptrackerLeadId)] : []),
          row.message,
        ]);
      }
    }
    const base = entity.fileName.replace(/\.[^.]*$/, '') || 'import';
    return { name: `${base}-report.xlsx`, chunks: xlsxChunks('Отчёт', headers, pages()) };
  }

  private async enqueue(workspaceId: string, importId: string): Promise<void> {
    await enqueueRun(this.queue, workspaceId, importId);
  }
}

function runConflict(status: ImportStatus): ConflictProblem {
  return new ConflictProblem(
    `The import is ${status}: it can be started once, from the uploaded state.`,
    'import-state',
  );
}

/** What the processing does not do yet, as 400 errors naming the field. */
function notYet(entity: ImportEntity): FieldError[] {
  const mapping = entity.mapping;
  if (!mapping) return [];
  const errors: FieldError[] = [];
  for (const { column, field } of mapping.columns)
    if (field === 'lead.responsible')
      errors.push({
        field: `columns.${column}`,
        code: 'notYet',
        message: `columns.${column}: lead.responsible cannot be imported yet`,
      });
  return errors;
}
