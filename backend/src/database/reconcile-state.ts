import { Column, PrimaryColumn, type FindOptionsWhere, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { bigintNumber, UpdatedAt } from './columns';

/**
 * The columns every reconciliation's state table has (amoCRM's, LPTracker's): one row per workspace with its
 * watermark and how the last pass went. A table adds the counts of its pass as columns of its own.
 */
export abstract class ReconcileStateColumns {
  @PrimaryColumn({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  /** Unix seconds: the next pass reads what changed from here (minus an overlap). Advanced on success only. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  watermark!: number | null;

  /** Unix seconds: where the last pass read from (the CRM's "updated since" filter). */
  @Column({ name: 'last_since', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSince!: number | null;

  @Column({ name: 'run_started_at', type: 'datetime', precision: 3, nullable: true })
  runStartedAt!: Date | null;

  @Column({ name: 'run_finished_at', type: 'datetime', precision: 3, nullable: true })
  runFinishedAt!: Date | null;

  @Column({ name: 'last_success_at', type: 'datetime', precision: 3, nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @UpdatedAt()
  updatedAt!: Date;
}

/**
 * The queries of a reconciliation state table (its repository extends this): a pass starts, succeeds (the
 * watermark moves to where it started) or fails (the watermark stays, so the next pass reads the same changes
 * again); `Counts` are the table's own count columns, written at the end of every pass.
 */
export abstract class ReconcileStatesRepository<
  Entity extends ReconcileStateColumns,
  Counts extends Partial<Entity>,
> {
  protected constructor(private readonly repo: Repository<Entity>) {}

  find(workspaceId: string): Promise<Entity | null> {
    return this.repo.findOneBy(this.row(workspaceId));
  }

  /** A pass starts from `since`, at `at` (the row is made on the first pass). */
  async markStarted(workspaceId: string, since: number, at: Date): Promise<void> {
    const columns: Partial<ReconcileStateColumns> = {
      workspaceId,
      lastSince: since,
      runStartedAt: at,
      runFinishedAt: null,
    };
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(this.repo.target)
      .values(this.columns(columns))
      .orUpdate(['last_since', 'run_started_at', 'run_finished_at'], ['workspace_id'])
      .execute();
  }

  async markSucceeded(workspaceId: string, watermark: number, counts: Counts, at: Date): Promise<void> {
    const columns: Partial<ReconcileStateColumns> = {
      watermark,
      runFinishedAt: at,
      lastSuccessAt: at,
      lastError: null,
    };
    await this.repo.update(this.row(workspaceId), this.columns({ ...columns, ...counts }));
  }

  async markFailed(workspaceId: string, error: string, counts: Counts, at: Date): Promise<void> {
    const columns: Partial<ReconcileStateColumns> = { runFinishedAt: at, lastError: error.slice(0, 1000) };
    await this.repo.update(this.row(workspaceId), this.columns({ ...columns, ...counts }));
  }

  /** The row of a workspace (TypeORM cannot see that every `Entity` has the base's columns). */
  private row(workspaceId: string): FindOptionsWhere<Entity> {
    return { workspaceId } as FindOptionsWhere<Entity>;
  }

  private columns(values: Partial<ReconcileStateColumns> | Counts): QueryDeepPartialEntity<Entity> {
    return values as QueryDeepPartialEntity<Entity>;
  }
}
