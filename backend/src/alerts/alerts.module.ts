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
import { AlertChecksService } from './alert-checks.service';
import { AlertEntity, AlertSettingsEntity } from './alert.entity';
import { AlertsController } from './alerts.controller';
import { ALERTS_QUEUE, AlertsProcessor } from './alerts.processor';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { TelegramService } from './telegram.service';

/**
 * Alerts (issue #15 §1): conditions checked every minute by a worker and on demand, one stored alert and one
 * Telegram message per raise, a "resolved" message when it clears; settings per workspace. It reads the state it
 * watches through the owning modules' services (the amoCRM webhook state service is stateless and is provided
 * here too, as the inbound module does not export it).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AlertEntity, AlertSettingsEntity]),
    registerQueue(ALERTS_QUEUE),
    AmocrmModule,
    AmocrmInboundModule,
    LptrackerModule,
    InboxModule,
    MappingsModule,
    AuditModule,
    AuthModule,
    CryptoModule,
  ],
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertChecksService, AlertsService, TelegramService, AlertsProcessor],
  exports: [AlertsService],
})
export class AlertsModule {}
