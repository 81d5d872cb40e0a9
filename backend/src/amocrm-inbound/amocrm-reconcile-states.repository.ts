import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ReconcileStatesRepository } from '../database/reconcile-state';
import { AmocrmReconcileStateEntity, type ReconcileCounts } from './amocrm-reconcile-state.entity';

/** Reconciliation state per workspace, with the counts of contacts and of leads: the only place that builds its queries. */
@Injectable()
export class AmocrmReconcileStatesRepository extends ReconcileStatesRepository<
  AmocrmReconcileStateEntity,
  { contacts: ReconcileCounts; leads: ReconcileCounts }
> {
  constructor(@InjectRepository(AmocrmReconcileStateEntity) repo: Repository<AmocrmReconcileStateEntity>) {
    super(repo);
  }
}
