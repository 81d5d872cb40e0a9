import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmocrmModule } from '../amocrm/amocrm.module';
import { AuditModule } from '../audit/audit.module';
import { ContactsModule } from '../contacts/contacts.module';
import { InboxAdapterRegistry } from '../inbox/inbox-adapter.registry';
import { InboxModule } from '../inbox/inbox.module';
import { LeadsModule } from '../leads/leads.module';
import { registerQueue } from '../queue/queue-names';
import { RuleRunnerModule } from '../sync/rules/rule-runner.module';
import { LptrackerBackflowModule } from '../sync/lptracker/lptracker-backflow.module';
import { SyncModule } from '../sync/sync.module';
import { AmocrmEntityVersionEntity } from './amocrm-entity-version.entity';
import { AmocrmEntityVersionsRepository } from './amocrm-entity-versions.repository';
import { AMOCRM_INBOUND_QUEUE } from './amocrm-inbound.constants';
import { AmocrmInboundProcessor } from './amocrm-inbound.processor';
import { AmocrmInboundService } from './amocrm-inbound.service';
import { AmocrmReconcileStateEntity } from './amocrm-reconcile-state.entity';
import { AmocrmReconcileStatesRepository } from './amocrm-reconcile-states.repository';
import { AmocrmWebhookAdapter } from './amocrm-webhook.adapter';
import { MirrorWriterService } from './mirror-writer.service';
import { ReconcileAdapter } from './reconcile.adapter';
import { ReconcileController } from './reconcile.controller';
import { ReconcileService } from './reconcile.service';
import { AmocrmWebhookController } from './webhook-subscription/amocrm-webhook.controller';
import { AmocrmWebhookService } from './webhook-subscription/amocrm-webhook.service';

/**
 * amoCRM → mirror: the inbox adapters of amoCRM webhooks (`amocrm`) and of reconciliation (`reconcile`), which
 * upsert or soft-delete contacts and leads by amoCRM id and publish domain events, and reconciliation itself
 * (scheduled and on demand), and the webhook subscription admin (`api/v1/connections/amocrm/webhook`: URL, secret
 * rotation, subscription in amoCRM).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AmocrmEntityVersionEntity, AmocrmReconcileStateEntity]),
    registerQueue(AMOCRM_INBOUND_QUEUE),
    InboxModule,
    AmocrmModule,
    SyncModule,
    LptrackerBackflowModule,
    RuleRunnerModule,
    ContactsModule,
    LeadsModule,
    AuditModule,
  ],
  controllers: [ReconcileController, AmocrmWebhookController],
  providers: [
    AmocrmEntityVersionsRepository,
    AmocrmReconcileStatesRepository,
    MirrorWriterService,
    AmocrmInboundService,
    AmocrmWebhookAdapter,
    ReconcileAdapter,
    ReconcileService,
    AmocrmInboundProcessor,
    AmocrmWebhookService,
  ],
  // the alerts read the webhook subscription's state through the one instance
  exports: [AmocrmWebhookService],
})
export class AmocrmInboundModule implements OnModuleInit {
  constructor(
    private readonly registry: InboxAdapterRegistry,
    private readonly webhooks: AmocrmWebhookAdapter,
    private readonly reconcile: ReconcileAdapter,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.webhooks);
    this.registry.register(this.reconcile);
  }
}
