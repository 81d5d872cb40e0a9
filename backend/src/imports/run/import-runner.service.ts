import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CountryCode } from 'libphonenumber-js';
import { AppConfig } from '../../config/app-config';
import { inAmocrmLane } from '../../sync/amocrm-lane';
import { ContactMirrorListing } from '../../sync/contacts/contact-mirror-listing';
import { REDIS } from '../../redis/redis.module';
import { RedisLock } from '../../redis/redis-lock';
import type { ImportEntity } from '../import.entity';
import { ImportsRepository } from '../imports.repository';
import { ImportRowEntity } from './import-row.entity';
import { ImportRowWriter } from './import-row-writer.service';
import { CallRowWriter } from './call-row-writer.service';
import { planCallRow } from './call-row-plan';
import type { ImportKind } from '../mapping/import-mapping';
import type { SheetCell } from '../parsing/header-row';
import { ImportRowsRepository } from './import-rows.repository';
import type { StagedRow } from './import-rows-staging';
import { FirstRowByKey } from './first-row-by-key';
import { BATCHES_IN_FLIGHT_TRUSTED, ROWS_PER_BATCH, RUN_LEASE_MS, runLeaseKey } from './import-run.constants';
import { rowsInWorker } from './row-reader-runner';
import { planRow, type RowField } from './row-plan';

/**
 * Runs one import in a worker: stages the file's rows (read in a worker thread) with in-file duplicates marked,
 * then writes pending rows 50 at a time (contacts and leads through ImportRowWriter, calls through CallRowWriter;
 * several batches in flight while the contacts mirror is trusted, see process and mirrorTrusted), each batch's
 * outcomes committed in one statement. Holds a Redis lease
 * on the import while it runs: a second worker never runs it at once, and a dead worker's import is taken over
 * (see ImportRunProcessor) from its first pending row. Stops between batches on pause, cancel or shutdown.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
    private readonly writer: ImportRowWriter,
    private readonly calls: CallRowWriter,
    private readonly listing: ContactMirrorListing,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  /** Runs the import unless another worker holds it; `stopping` answers true once this process shuts down. */
  async run(workspaceId: string, importId: string, stopping: () => boolean): Promise<void> {
    const lease = await RedisLock.tryAcquire(this.redis, runLeaseKey(importId), RUN_LEASE_MS);
    if (!lease) return;
    let lost = false;
    const renewal = setInterval(() => {
      lease.renew(RUN_LEASE_MS).then(
        (held) => (lost ||= !held),
        () => undefined,
      );
    }, RUN_LEASE_MS / 3);
    const halt = () => lost || stopping();
    try {
      const entity = await this.imports.findById(workspaceId, importId);
      if (!entity?.mapping) return;
      if (entity.status === 'parsing') {
        if (!(await this.stage(entity, halt))) return;
        await this.rows.moveStatus(importId, 'processing', ['parsing']);
      }
      await this.process(entity, halt);
    } catch (error) {
      this.logger.warn(
        `import ${importId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      await this.rows.updateRun(importId, {
        error: 'Файл не удалось прочитать до конца',
        finishedAt: new Date(),
      });
      await this.rows.moveStatus(importId, 'failed', ['parsing', 'processing']);
    } finally {
      clearInterval(renewal);
      await lease.release().catch(() => false);
    }
  }

  /** Reads the whole file into `import_rows` (from its start again if an earlier reading did not finish). */
  private async stage(entity: ImportEntity, halt: () => boolean): Promise<boolean> {
    const run = await this.rows.runOf(entity.id);
    if (run?.staged) return true;
    await this.rows.clearStaged(entity.id);
    const fields = fieldsOf(entity);
    const kind = entity.mapping?.kind;
    const dir = await mkdtemp(join(tmpdir(), 'import-run-'));
    try {
      const path = join(dir, `file.${entity.format}`);
      await pipeline(
        Readable.from(this.imports.fileOf(entity.workspaceId, entity.id)),
        createWriteStream(path),
      );
      const firstRows = new FirstRowByKey();
      let total = 0;
      // one batch's INSERT in flight while the next batch is planned (and the worker reads the one after)
      let writing: Promise<void> = Promise.resolve();
      try {
        for await (const batch of rowsInWorker({
          path,
          format: entity.format,
          sheet: entity.sheet,
          headerRow: entity.headerRow,
          columnIndexes: entity.columns.map((column) => column.index),
          csv: entity.csvOptions,
        })) {
          if (halt()) return false;
          const staged: StagedRow[] = batch.map(({ rowNumber, cells }) => {
            const key = kind ? this.keyOf(kind, entity, fields, cells) : null;
            return { rowNumber, cells, duplicateOf: key === null ? null : firstRows.firstOf(key, rowNumber) };
          });
          await writing;
          writing = this.rows.stage(entity.id, entity.workspaceId, staged).then(() => {
            total += staged.length;
            return this.rows.updateRun(entity.id, { totalRows: total });
          });
          writing.catch(() => undefined); // awaited before the next batch or at the end
        }
        await writing;
      } finally {
        await writing.catch(() => undefined);
      }
      await this.rows.updateRun(entity.id, { totalRows: total, staged: true });
      return true;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** What makes two rows of the file the same (a phone or e-mail; a call's source id or phone, start, operator). */
  private keyOf(
    kind: ImportKind,
    entity: ImportEntity,
    fields: RowField[],
    cells: SheetCell[],
  ): string | null {
    if (kind === 'call_results') {
      const plan = planCallRow(cells, fields, this.region, entity.format !== 'csv');
      return plan.ok ? plan.key : null;
    }
    const plan = planRow(cells, fields, kind, this.region);
    return plan.ok ? plan.row.key : null;
  }

  /**
   * Writes pending rows a batch of ROWS_PER_BATCH at a time until none is left, or the import is paused, cancelled
   * or halted; each batch's outcomes are committed together (one statement) as soon as its rows are written. While
   * the contacts mirror is trusted up to BATCHES_IN_FLIGHT_TRUSTED batches are written at once, a new one started as
   * soon as one ends (a rolling window, not steps that wait for their slowest row): the engine's batcher always has
   * rows ready for a full create request of 50 while the previous one is sent, and the next rows' local work (mirror
   * reads, locks) runs meanwhile. Rows in flight all finish before the import stops.
   */
  private async process(entity: ImportEntity, halt: () => boolean): Promise<void> {
    const mapping = entity.mapping;
    if (!mapping) return;
    const fields = fieldsOf(entity);
    let trusted = await this.mirrorTrusted(entity, false);
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | null = null;
    // every row up to `after` is written or in flight
    let after = 0;
    const write = async (batch: ImportRowEntity[], trustMirror: boolean): Promise<void> => {
      const outcomes =
        mapping.kind === 'call_results'
          ? await this.calls.write({ ...entity, mapping }, fields, batch)
          : await Promise.all(
              batch.map((row) => this.writer.write(entity.workspaceId, mapping, fields, row, trustMirror)),
            );
      await this.rows.saveOutcomes(entity.id, outcomes);
    };
    try {
      for (;;) {
        if (halt() || failure) return;
        const current = await this.imports.findById(entity.workspaceId, entity.id);
        if (current?.status !== 'processing') return;
        if (trusted) trusted = await this.mirrorTrusted(entity, true);
        const window = trusted ? BATCHES_IN_FLIGHT_TRUSTED : 1;
        while (inFlight.size >= window) await Promise.race(inFlight);
        if (failure) return;
        const batch = await this.rows.pending(entity.id, ROWS_PER_BATCH, after);
        if (batch.length === 0) {
          if (inFlight.size > 0) {
            await Promise.race(inFlight);
            continue;
          }
          await this.rows.updateRun(entity.id, { finishedAt: new Date() });
          await this.rows.moveStatus(entity.id, 'done', ['processing']);
          return;
        }
        after = batch[batch.length - 1].rowNumber;
        const step: Promise<void> = write(batch, trusted)
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => inFlight.delete(step));
        inFlight.add(step);
      }
    } finally {
      await Promise.all(inFlight);
      // eslint-disable-next-line no-unsafe-finally
      if (failure) throw (failure as { error: unknown }).error;
    }
  }

  /**
   * Whether the rows of an amoCRM contacts/leads import may trust the contacts mirror (no amoCRM search on a
   * miss): the engine lists the account into the mirror first when that is cheaper than a search per pending row,
   * and catches up with amoCRM's changes while the rows are written (`running`). A failed listing means per-row
   * lookups, as without it.
   */
  private async mirrorTrusted(entity: ImportEntity, running: boolean): Promise<boolean> {
    const mapping = entity.mapping;
    if (!mapping || mapping.kind === 'call_results' || mapping.dryRun) return false;
    if (mapping.target !== 'amocrm') return false;
    const workspaceId = entity.workspaceId;
    try {
      return await inAmocrmLane('import', async () =>
        running
          ? this.listing.catchUp(workspaceId)
          : this.listing.prepare(workspaceId, (await this.rows.counts(entity.id)).pending),
      );
    } catch (error) {
      this.logger.warn(
        `import ${entity.id}: contacts listing failed, rows looked up one by one: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return false;
    }
  }
}

/** The mapped columns by their position in the staged cells (the import's column order). */
export function fieldsOf(entity: ImportEntity): RowField[] {
  const position = new Map(entity.columns.map((column, index) => [column.name, index]));
  return (entity.mapping?.columns ?? []).flatMap(({ column, field }) => {
    const index = position.get(column);
    return index === undefined ? [] : [{ index, field }];
  });
}
