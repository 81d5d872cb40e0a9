import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmocrmModule } from '../amocrm/amocrm.module';
import { AmocrmInboundModule } from '../amocrm-inbound/amocrm-inbound.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CryptoModule } from '../crypto/crypto.module';
import { InboxModule } from '../inbox/inbox.module';
import { LptrackerModule } from '../lptracker/lptracker.module';
import { registerQueue } from '../queue/queue-names';
import { MappingsModule } from '../sync/mappings/mappings.module';
import { RulesModule } from '../sync/rules/rules.module';
import { SettingsModule } from '../settings/settings.module';
import { AlertChecksService } from './alert-checks.service';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertEntity, AlertReadEntity, AlertSettingsEntity } from './alert.entity';
import { AlertSettingsService } from './alert-settings.service';
import { AlertsController } from './alerts.controller';
import { ALERTS_QUEUE } from './alerts.constants';
import { AlertsProcessor } from './alerts.processor';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { TelegramService } from './telegram.service';

/**
 * Alerts (issue #15 §1): conditions checked every minute by a worker, on demand, and at once after an amoCRM
 * webhook (un)subscribe; one stored alert and one Telegram message per raise (retried with backoff), a "resolved"
 * message when it clears; settings per workspace; read marks per person. It reads the state it watches through the
 * owning modules' services; the failed imports with a query of its own on the imports tables (the imports module
 * exports no service; read only).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AlertEntity, AlertReadEntity, AlertSettingsEntity]),
    registerQueue(ALERTS_QUEUE),
    AmocrmModule,
    AmocrmInboundModule,
    LptrackerModule,
    InboxModule,
    MappingsModule,
    RulesModule,
    SettingsModule,
    AuditModule,
    AuthModule,
    CryptoModule,
  ],
  controllers: [AlertsController],
  providers: [
    AlertsRepository,
    AlertChecksService,
    AlertSettingsService,
    AlertDeliveryService,
    AlertsService,
    TelegramService,
    AlertsProcessor,
  ],
  exports: [AlertsService],
})
export class AlertsModule {}
