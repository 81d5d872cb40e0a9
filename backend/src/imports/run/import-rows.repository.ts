import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, MoreThan, type Repository } from 'typeorm';
import { ImportEntity, type ImportStatus } from '../import.entity';
import { ImportRowEntity, ImportRunEntity, type RowStatus } from './import-row.entity';
import { insertStagedRows, type StagedRow } from './import-rows-staging';

/** What became of one row (written in batches, one transaction per batch). */
export interface RowOutcome {
  rowNumber: number;
  status: Exclude<RowStatus, 'pending'>;
  amocrmContactId: number | null;
  amocrmLeadId: number | null;
  /** Target lptracker: the LPTracker lead found or created. */
  lptrackerLeadId?: number | null;
  message: string | null;
}

export type RowCounts = Record<RowStatus, number>;

/** The staged rows of imports with their outcomes, and the runs. */
@Injectable()
export class ImportRowsRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ImportRowEntity) private readonly rows: Repository<ImportRowEntity>,
    @InjectRepository(ImportRunEntity) private readonly runs: Repository<ImportRunEntity>,
  ) {}

  runOf(importId: string): Promise<ImportRunEntity | null> {
    return this.runs.findOneBy({ importId });
  }

  async startRun(workspaceId: string, importId: string): Promise<void> {
    await this.runs
      .createQueryBuilder()
      .insert()
      .orIgnore()
      .values({ importId, workspaceId, startedAt: new Date(), totalRows: 0, staged: false })
      .execute();
  }

  async updateRun(importId: string, changes: Partial<ImportRunEntity>): Promise<void> {
    await this.runs.update({ importId }, changes);
  }

  /** Drops rows staged by a reading that did not finish (the file is read again from its start). */
  async clearStaged(importId: string): Promise<void> {
    await this.rows.delete({ importId });
  }

  /** Stages rows (a row staged already is left as it is); see insertStagedRows. */
  stage(importId: string, workspaceId: string, rows: readonly StagedRow[]): Promise<void> {
    return insertStagedRows(this.dataSource, importId, workspaceId, rows);
  }

  /** The next pending rows in sheet order (after row `afterRow`: the rows up to it are in flight). */
  pending(importId: string, limit: number, afterRow = 0): Promise<ImportRowEntity[]> {
    return this.rows.find({
      where: { importId, status: 'pending', rowNumber: MoreThan(afterRow) },
      order: { rowNumber: 'ASC' },
      take: limit,
    });
  }

  /**
   * One batch's outcomes in one statement (all of them are committed, or none): an UPDATE of the batch's rows still
   * pending, each column set with a CASE on the row number (was an UPDATE per row in a transaction).
   */
  async saveOutcomes(importId: string, outcomes: readonly RowOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const changes = outcomes.map((outcome) => ({
      rowNumber: outcome.rowNumber,
      set: {
        status: outcome.status,
        amocrmContactId: outcome.amocrmContactId === null ? null : String(outcome.amocrmContactId),
        amocrmLeadId: outcome.amocrmLeadId === null ? null : String(outcome.amocrmLeadId),
        lptrackerLeadId: outcome.lptrackerLeadId ? String(outcome.lptrackerLeadId) : null,
        message: outcome.message?.slice(0, 500) ?? null,
      } satisfies Partial<ImportRowEntity>,
    }));
    const parameters: unknown[] = [];
    const assignments = Object.keys(changes[0].set).map((property) => {
      const column = this.rows.metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`import_rows has no column for ${property}`);
      const cases = changes.map(({ rowNumber, set }) => {
        parameters.push(rowNumber, set[property as keyof typeof set]);
        return 'WHEN ? THEN ?';
      });
      return `\`${column.databaseName}\` = CASE \`row_number\` ${cases.join(' ')} END`;
    });
    parameters.push(importId, ...changes.map(({ rowNumber }) => rowNumber));
    await this.dataSource.query(
      `UPDATE import_rows SET ${assignments.join(', ')}
        WHERE import_id = ? AND status = 'pending' AND \`row_number\` IN (${changes.map(() => '?').join(', ')})`,
      parameters,
    );
  }

  async counts(importId: string): Promise<RowCounts> {
    const raw = await this.rows
      .createQueryBuilder('row')
      .select('row.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('row.import_id = :importId', { importId })
      .groupBy('row.status')
      .getRawMany<{ status: RowStatus; count: string }>();
    const counts: RowCounts = { pending: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
    for (const { status, count } of raw) counts[status] = Number(count);
    return counts;
  }

  /** The counts of several imports at once (the history page), by import id; an import without rows is absent. */
  async countsOf(importIds: readonly string[]): Promise<Map<string, RowCounts>> {
    const found = new Map<string, RowCounts>();
    if (importIds.length === 0) return found;
    const raw = await this.rows
      .createQueryBuilder('row')
      .select('row.import_id', 'importId')
      .addSelect('row.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('row.import_id IN (:...importIds)', { importIds })
      .groupBy('row.import_id')
      .addGroupBy('row.status')
      .getRawMany<{ importId: string; status: RowStatus; count: string }>();
    for (const { importId, status, count } of raw) {
      const counts = found.get(importId) ?? { pending: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
      counts[status] = Number(count);
      found.set(importId, counts);
    }
    return found;
  }

  runsOf(importIds: readonly string[]): Promise<ImportRunEntity[]> {
    return importIds.length === 0 ? Promise.resolve([]) : this.runs.findBy({ importId: In([...importIds]) });
  }

  /** Rows after `afterRow` in sheet order, a page at a time (the report). */
  page(importId: string, afterRow: number, limit: number): Promise<ImportRowEntity[]> {
    return this.rows.find({
      where: { importId, rowNumber: MoreThan(afterRow) },
      order: { rowNumber: 'ASC' },
      take: limit,
    });
  }

  /** Imports left running (parsing or processing) in any workspace: candidates for resuming. */
  async running(): Promise<{ id: string; workspaceId: string }[]> {
    return this.dataSource.query(
      "SELECT id, workspace_id AS workspaceId FROM imports WHERE status IN ('parsing', 'processing') LIMIT 100",
    );
  }

  /** Moves the import to `to` only from one of `from` (a pause or cancel is never overwritten); true when moved. */
  async moveStatus(importId: string, to: ImportStatus, from: readonly ImportStatus[]): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ImportEntity)
      .set({ status: to })
      .where('id = :importId AND status IN (:...from)', { importId, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async deleteOf(importId: string): Promise<void> {
    await this.rows.delete({ importId });
    await this.runs.delete({ importId });
  }
}
