import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmocrmModule } from '../../amocrm/amocrm.module';
import { LeadsModule } from '../../leads/leads.module';
import { LptrackerModule } from '../../lptracker/lptracker.module';
import { LptrackerBackflowModule } from '../lptracker/lptracker-backflow.module';
import { LptrackerLinksModule } from '../lptracker/lptracker-links.module';
import { SyncModule } from '../sync.module';
import { AmocrmLeadActions } from './actions/amocrm-lead-actions';
import { LptrackerLeadActions } from './actions/lptracker-lead-actions';
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
    LptrackerModule,
    LptrackerBackflowModule,
    LptrackerLinksModule,
  ],
  providers: [RuleRunnerService, AmocrmLeadActions, LptrackerLeadActions],
  exports: [RuleRunnerService, LptrackerLinksModule],
})
export class RuleRunnerModule {}
