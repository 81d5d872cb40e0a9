import { Module } from '@nestjs/common';
import { AmocrmModule } from '../../amocrm/amocrm.module';
import { AuditModule } from '../../audit/audit.module';
import { InboxModule } from '../inbox.module';
import { AmocrmWebhookController } from './amocrm-webhook.controller';
import { AmocrmWebhookService } from './amocrm-webhook.service';

/**
 * The amoCRM webhook admin (URL, secret rotation, subscription). Apart from InboxModule so that the amoCRM
 * side can import InboxModule (to register its adapter) without a module cycle.
 */
@Module({
  imports: [InboxModule, AmocrmModule, AuditModule],
  controllers: [AmocrmWebhookController],
  providers: [AmocrmWebhookService],
  exports: [AmocrmWebhookService],
})
export class AmocrmWebhookModule {}
