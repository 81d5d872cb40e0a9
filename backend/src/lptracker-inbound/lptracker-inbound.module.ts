import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { InboxAdapterRegistry } from '../inbox/inbox-adapter.registry';
import { InboxModule } from '../inbox/inbox.module';
import { LptrackerModule } from '../lptracker/lptracker.module';
import { registerQueue } from '../queue/queue-names';
import { LptrackerSyncModule } from '../sync/lptracker/lptracker-sync.module';
import { CallResultsModule } from '../sync/call-results/call-results.module';
import { LptrackerCallsRecorder } from './lptracker-calls.recorder';
import { LPTRACKER_INBOUND_QUEUE } from './lptracker-inbound.constants';
import { LptrackerInboundService } from './lptracker-inbound.service';
import { LptrackerReconcileAdapter } from './lptracker-reconcile.adapter';
import { LptrackerWebhookAdapter } from './lptracker-webhook.adapter';
import { MappingPreviewModule } from './mapping-preview/mapping-preview.module';
import { RuleRunnerModule } from '../sync/rules/rule-runner.module';
import { LptrackerReconcileController } from './reconcile/lptracker-reconcile.controller';
import { LptrackerReconcileProcessor } from './reconcile/lptracker-reconcile.processor';
import { LptrackerReconcileService } from './reconcile/lptracker-reconcile.service';
import { LptrackerReconcileStateEntity } from './reconcile/lptracker-reconcile-state.entity';
import { LptrackerReconcileStatesRepository } from './reconcile/lptracker-reconcile-states.repository';
import { LptrackerWebhookController } from './webhook-registration/lptracker-webhook.controller';
import { LptrackerWebhookService } from './webhook-registration/lptracker-webhook.service';

/**
 * LPTracker → inbox: the inbox adapters of LPTracker's callbacks (`lptracker`) and of reconciliation
 * (`lptracker-reconcile`), the callback registration admin (`api/v1/connections/lptracker/webhook`) and
 * reconciliation on demand (`api/v1/connections/lptracker/reconcile`) and scheduled. Processing applies each lead
 * through the LPTracker → amoCRM sync (LptrackerSyncModule).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([LptrackerReconcileStateEntity]),
    registerQueue(LPTRACKER_INBOUND_QUEUE),
    InboxModule,
    LptrackerModule,
    LptrackerSyncModule,
    MappingPreviewModule,
    RuleRunnerModule,
    CallResultsModule,
    AuditModule,
    AuthModule,
  ],
  controllers: [LptrackerWebhookController, LptrackerReconcileController],
  providers: [
    LptrackerInboundService,
    LptrackerCallsRecorder,
    LptrackerWebhookAdapter,
    LptrackerReconcileAdapter,
    LptrackerWebhookService,
    LptrackerReconcileStatesRepository,
    LptrackerReconcileService,
    LptrackerReconcileProcessor,
  ],
})
export class LptrackerInboundModule implements OnModuleInit {
  constructor(
    private readonly registry: InboxAdapterRegistry,
    private readonly webhooks: LptrackerWebhookAdapter,
    private readonly reconcile: LptrackerReconcileAdapter,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.webhooks);
    this.registry.register(this.reconcile);
  }
}
