import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { InboxModule } from '../inbox/inbox.module';
import { LptrackerLinksModule } from '../sync/lptracker/lptracker-links.module';
import { RuleRunnerModule } from '../sync/rules/rule-runner.module';
import { RulesModule } from '../sync/rules/rules.module';
import { RuleDryRunController } from './rule-dryrun.controller';
import { RuleDryRunService } from './rule-dryrun.service';

/** Rule dry runs and backtests: read events from the inbox, evaluate and plan with the rules engine. */
@Module({
  imports: [ContactsModule, InboxModule, RulesModule, RuleRunnerModule, LptrackerLinksModule],
  controllers: [RuleDryRunController],
  providers: [RuleDryRunService],
})
export class RuleDryRunModule {}
