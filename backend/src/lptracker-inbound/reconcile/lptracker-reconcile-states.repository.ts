import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ReconcileStatesRepository } from '../../database/reconcile-state';
import {
  LptrackerReconcileStateEntity,
  type LptrackerReconcileCounts,
} from './lptracker-reconcile-state.entity';

/** LPTracker reconciliation state per workspace, with its pass's counts: the only place that builds its queries. */
@Injectable()
export class LptrackerReconcileStatesRepository extends ReconcileStatesRepository<
  LptrackerReconcileStateEntity,
  { counts: LptrackerReconcileCounts }
> {
  constructor(
    @InjectRepository(LptrackerReconcileStateEntity) repo: Repository<LptrackerReconcileStateEntity>,
  ) {
    super(repo);
  }
}
