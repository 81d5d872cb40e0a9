import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { InboxModule } from '../inbox/inbox.module';
import { LeadsModule } from '../leads/leads.module';
import { SettingsModule } from '../settings/settings.module';
import { CallResultsModule } from '../sync/call-results/call-results.module';
import { RuleRunnerModule } from '../sync/rules/rule-runner.module';
import { RuleRunnerMirror } from '../sync/rules/rule-runner-mirror.service';
import { SyncModule } from '../sync/sync.module';
import { EngineInboundService } from './engine-inbound.service';

/**
 * The inbox sources `api` and `import`: the engine's own writes for client apps and imports recorded as inbox
 * events, and the rules of those sources run on them in the worker (see EngineInboundService).
 */
@Module({
  imports: [
    InboxModule,
    SyncModule,
    RuleRunnerModule,
    CallResultsModule,
    LeadsModule,
    ContactsModule,
    SettingsModule,
  ],
  providers: [EngineInboundService, RuleRunnerMirror],
})
export class EngineInboundModule {}
