import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AmocrmReconcileStateEntity, type ReconcileCounts } from './amocrm-reconcile-state.entity';

/** Reconciliation state per workspace: the only place that builds its queries. */
@Injectable()
export class AmocrmReconcileStatesRepository {
  constructor(
    @InjectRepository(AmocrmReconcileStateEntity)
    private readonly repo: Repository<AmocrmReconcileStateEntity>,
  ) {}

  find(workspaceId: string): Promise<AmocrmReconcileStateEntity | null> {
    return this.repo.findOneBy({ workspaceId });
  }

  /** A pass starts: from `since`, at `at` (the row is made on the first pass). */
  async markStarted(workspaceId: string, since: number, at: Date): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(AmocrmReconcileStateEntity)
      .values({ workspaceId, lastSince: since, runStartedAt: at, runFinishedAt: null })
      .orUpdate(['last_since', 'run_started_at', 'run_finished_at'], ['workspace_id'])
      .execute();
  }

  /** A pass succeeded: the watermark moves to where it started, the counts are kept. */
  async markSucceeded(
    workspaceId: string,
    watermark: number,
    counts: { contacts: ReconcileCounts; leads: ReconcileCounts },
    at: Date,
  ): Promise<void> {
    await this.repo.update(
      { workspaceId },
      { watermark, runFinishedAt: at, lastSuccessAt: at, lastError: null, ...counts },
    );
  }

  /** A pass failed: the watermark stays, so the next pass reads the same changes again. */
  async markFailed(
    workspaceId: string,
    error: string,
    counts: { contacts: ReconcileCounts; leads: ReconcileCounts },
    at: Date,
  ): Promise<void> {
    await this.repo.update(
      { workspaceId },
      { runFinishedAt: at, lastError: error.slice(0, 1000), ...counts },
    );
  }
}
