import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import {
  LptrackerReconcileStateEntity,
  type LptrackerReconcileCounts,
} from './lptracker-reconcile-state.entity';

/** LPTracker reconciliation state per workspace: the only place that builds its queries. */
@Injectable()
export class LptrackerReconcileStatesRepository {
  constructor(
    @InjectRepository(LptrackerReconcileStateEntity)
    private readonly repo: Repository<LptrackerReconcileStateEntity>,
  ) {}

  find(workspaceId: string): Promise<LptrackerReconcileStateEntity | null> {
    return this.repo.findOneBy({ workspaceId });
  }

  /** A pass starts from `since` (the row is made on the first pass). */
  async markStarted(workspaceId: string, since: number, at: Date): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(LptrackerReconcileStateEntity)
      .values({ workspaceId, lastSince: since, runStartedAt: at, runFinishedAt: null })
      .orUpdate(['last_since', 'run_started_at', 'run_finished_at'], ['workspace_id'])
      .execute();
  }

  /** A pass succeeded: the watermark moves to where it started. */
  async markSucceeded(
    workspaceId: string,
    watermark: number,
    counts: LptrackerReconcileCounts,
    at: Date,
  ): Promise<void> {
    await this.repo.update(
      { workspaceId },
      { watermark, runFinishedAt: at, lastSuccessAt: at, lastError: null, counts },
    );
  }

  /** A pass failed: the watermark stays, so the next pass reads the same leads again. */
  async markFailed(
    workspaceId: string,
    error: string,
    counts: LptrackerReconcileCounts,
    at: Date,
  ): Promise<void> {
    await this.repo.update({ workspaceId }, { lastError: error.slice(0, 1000), runFinishedAt: at, counts });
  }
}
