import { Injectable, Logger } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import { AppConfig } from '../../config/app-config';
import type { CallResultInput } from '../../sync/call-results/call-result.types';
import { CallResultsService } from '../../sync/call-results/call-results.service';
import type { ImportMapping } from '../mapping/import-mapping';
import type { ImportFormat } from '../parsing/preview.types';
import { callRefusal, planCallRow } from './call-row-plan';
import type { ImportRowEntity } from './import-row.entity';
import type { RowOutcome } from './import-rows.repository';
import { outcome } from './row-outcome';
import type { RowField } from './row-plan';

/** The import a batch of call rows belongs to. */
export interface CallImport {
  id: string;
  workspaceId: string;
  format: ImportFormat;
  mapping: ImportMapping;
}

/**
 * What a batch of staged call rows becomes: one `CallResultsService.record(…, 'import')` for the batch (the same
 * checks, deduplication, links and `call.finished` rules as the REST API, never a second path). The import's id is
 * the origin of its rows: a batch recorded by a worker that died before committing the outcomes counts its rows as
 * created again when it is resumed, never as duplicates of themselves. A dry run checks the rows against the stored calls
 * (`CallResultsService.check`) and stores nothing.
 */
@Injectable()
export class CallRowWriter {
  private readonly logger = new Logger(CallRowWriter.name);
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    private readonly calls: CallResultsService,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  async write(
    run: CallImport,
    fields: readonly RowField[],
    rows: readonly ImportRowEntity[],
  ): Promise<RowOutcome[]> {
    const outcomes: RowOutcome[] = [];
    const toRecord: { rowNumber: number; input: CallResultInput }[] = [];
    for (const row of rows) {
      const n = row.rowNumber;
      if (row.duplicateOf !== null) {
        outcomes.push(outcome(n, 'skipped', `Повтор строки ${row.duplicateOf}: тот же звонок`));
        continue;
      }
      const plan = planCallRow(row.cells, fields, this.region, run.format !== 'csv');
      if (!plan.ok) outcomes.push(outcome(n, 'failed', plan.message));
      else toRecord.push({ rowNumber: n, input: plan.input });
    }
    if (toRecord.length === 0) return outcomes;
    if (run.mapping.dryRun) return [...outcomes, ...(await this.check(run, toRecord))];
    try {
      const summary = await this.calls.record(
        run.workspaceId,
        toRecord.map(({ input }) => input),
        'import',
        { originRef: `import:${run.id}` },
      );
      for (const result of summary.rows) {
        const n = toRecord[result.index].rowNumber;
        if (result.outcome === 'created')
          outcomes.push(
            outcome(n, 'created', null, { contact: result.amocrmContactId, lead: result.amocrmLeadId }),
          );
        else if (result.outcome === 'duplicate')
          outcomes.push(outcome(n, 'skipped', 'Такой звонок уже загружен'));
        else outcomes.push(outcome(n, 'failed', callRefusal(result.field)));
      }
    } catch (error) {
      this.logger.warn(
        `import ${run.id}: calls not recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
      for (const { rowNumber } of toRecord)
        outcomes.push(
          outcome(rowNumber, 'failed', 'Звонок не удалось сохранить; строку можно загрузить ещё раз'),
        );
    }
    return outcomes;
  }

  /** A dry run: what `record` would do with each row (already stored calls found), storing nothing. */
  private async check(
    run: CallImport,
    rows: readonly { rowNumber: number; input: CallResultInput }[],
  ): Promise<RowOutcome[]> {
    const checked = await this.calls.check(
      run.workspaceId,
      rows.map(({ input }) => input),
      'import',
    );
    return checked.map((result) => {
      const n = rows[result.index].rowNumber;
      if (result.outcome === 'invalid') return outcome(n, 'failed', callRefusal(result.field));
      if (result.outcome === 'duplicate') return outcome(n, 'skipped', 'Такой звонок уже загружен');
      return outcome(n, 'created', 'Проверка: звонок будет загружен');
    });
  }
}
