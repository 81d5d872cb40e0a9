import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AmocrmModule } from '../../amocrm/amocrm.module';
import { AmocrmStartupService } from '../../amocrm/connection/amocrm-startup.service';
import { AuditModule } from '../../audit/audit.module';
import { MIRRORED_AMOCRM_WEBHOOK_EVENTS } from '../dto/webhook.dto';
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
export class AmocrmWebhookModule implements OnModuleInit {
  private readonly logger = new Logger('Amocrm');

  constructor(
    private readonly startup: AmocrmStartupService,
    private readonly webhooks: AmocrmWebhookService,
  ) {}

  onModuleInit(): void {
    // the demo shows the whole path at once: a change made in the sandbox arrives as a webhook on the Events page
    this.startup.onDemoConnected('subscribing the webhook', async (workspaceId) => {
      const state = await this.webhooks.subscribeWorkspace(workspaceId, MIRRORED_AMOCRM_WEBHOOK_EVENTS, null);
      this.logger.log(`demo mode: amoCRM sends webhooks to ${maskSecret(state.url)}`);
    });
  }
}

/** The webhook URL for a log line: the secret path segment is never logged whole. */
function maskSecret(url: string): string {
  return url.replace(/\/([^/]+)$/, (_match, secret: string) => `/***${secret.slice(-4)}`);
}
