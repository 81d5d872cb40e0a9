import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmocrmModule } from '../../amocrm/amocrm.module';
import { ContactsModule } from '../../contacts/contacts.module';
import { LeadsModule } from '../../leads/leads.module';
import { LptrackerModule } from '../../lptracker/lptracker.module';
import { LptrackerBackflowModule } from '../lptracker/lptracker-backflow.module';
import { LptrackerLinksModule } from '../lptracker/lptracker-links.module';
import { SyncModule } from '../sync.module';
import { AmocrmLeadActions } from './actions/amocrm-lead-actions';
import { FindOrCreateActions } from './actions/find-or-create-actions';
import { LptrackerLeadActions } from './actions/lptracker-lead-actions';
import { MappingsModule } from '../mappings/mappings.module';
import { RuleMappedService } from './rule-mapped.service';
import { RuleActionRunEntity } from './rule-action-run.entity';
import { RuleRunnerService } from './rule-runner.service';
import { RulesModule } from './rules.module';

/** Rules run live on events (issue #13 §1): the runner and its actions, used by the LPTracker and amoCRM inbound. */
@Module({
  imports: [
    TypeOrmModule.forFeature([RuleActionRunEntity]),
    RulesModule,
    SyncModule,
    AmocrmModule,
    LeadsModule,
    ContactsModule,
    LptrackerModule,
    LptrackerBackflowModule,
    LptrackerLinksModule,
    MappingsModule,
  ],
  providers: [
    RuleRunnerService,
    AmocrmLeadActions,
    LptrackerLeadActions,
    FindOrCreateActions,
    RuleMappedService,
  ],
  exports: [RuleRunnerService, RuleMappedService, LptrackerLinksModule],
})
export class RuleRunnerModule {}
