import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CryptoModule } from '../crypto/crypto.module';
import { HealthModule } from '../health/health.module';
import { registerQueue } from '../queue/queue-names';
import { DomainEventsService } from './domain-events.service';
import { InboxAdapterRegistry } from './inbox-adapter.registry';
import { InboxEventQueriesRepository } from './inbox-event-queries.repository';
import { InboxEventRequeuesRepository } from './inbox-event-requeues.repository';
import { InboxEventEntity } from './inbox-event.entity';
import { InboxEventsController } from './inbox-events.controller';
import { InboxEventsRepository } from './inbox-events.repository';
import { InboxDeliveriesRepository } from './inbox-deliveries.repository';
import { InboxEventsService } from './inbox-events.service';
import { InboxIntakeService } from './inbox-intake.service';
import { InboxKeyEntity } from './inbox-key.entity';
import { InboxMetrics } from './inbox-metrics';
import { InboxProcessingService } from './inbox-processing.service';
import { INBOX_MAINTENANCE_QUEUE, INBOX_QUEUE } from './inbox-queue';
import { InboxQueueService } from './inbox-queue.service';
import { InboxRejectionEntity } from './inbox-rejection.entity';
import { InboxRejectionsRepository } from './inbox-rejections.repository';
import { InboxRetentionService } from './inbox-retention.service';
import { InboxStatsService } from './inbox-stats.service';
import { InboxSweeperService } from './inbox-sweeper.service';
import { InboxProcessor } from './inbox.processor';
import { IntakePressureService } from './intake-pressure.service';
import { WebhookSecretEntity } from './webhook-secret.entity';
import { WebhookSecretsRepository } from './webhook-secrets.repository';
import { WebhookSecretsService } from './webhook-secrets.service';
import { WebhooksController } from './webhooks.controller';

/**
 * The durable webhook inbox: intake (`POST /webhooks/:source/:secret`), idempotency, the processing queue
 * with retries, sweeper and retention, the events API, and domain events (the settings version is `src/settings`).
 * Source modules import it and register an adapter with `InboxAdapterRegistry` in `onModuleInit`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([InboxEventEntity, InboxKeyEntity, InboxRejectionEntity, WebhookSecretEntity]),
    registerQueue(INBOX_QUEUE),
    registerQueue(INBOX_MAINTENANCE_QUEUE),
    AuditModule,
    CryptoModule,
    HealthModule,
  ],
  controllers: [WebhooksController, InboxEventsController],
  providers: [
    InboxAdapterRegistry,
    DomainEventsService,
    InboxEventsRepository,
    InboxDeliveriesRepository,
    InboxEventRequeuesRepository,
    InboxEventQueriesRepository,
    InboxRejectionsRepository,
    WebhookSecretsRepository,
    WebhookSecretsService,
    InboxMetrics,
    InboxStatsService,
    InboxQueueService,
    InboxIntakeService,
    InboxProcessingService,
    InboxSweeperService,
    InboxRetentionService,
    InboxEventsService,
    IntakePressureService,
    InboxProcessor,
  ],
  exports: [
    InboxAdapterRegistry,
    // internal sources (reconciliation) feed their deliveries through the same intake as webhooks
    InboxIntakeService,
    DomainEventsService,
    WebhookSecretsService,
    InboxEventsService,
  ],
})
export class InboxModule {}
