import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/audit.module';
import { LptrackerModule } from '../../lptracker/lptracker.module';
import { SettingsModule } from '../../settings/settings.module';
import { SyncModule } from '../sync.module';
import { RuleActionRunEntity } from './rule-action-run.entity';
import { RuleActivityService } from './rule-activity.service';
import { RuleTransferService } from './rule-transfer.service';
import { RuleValidationService } from './rule-validation.service';
import { RuleVersionEntity } from './rule-version.entity';
import { RuleEntity } from './rule.entity';
import { RulesController } from './rules.controller';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';

/**
 * Rules (issue #13 §1): the model, its validation against the metadata caches, the evaluator (pure,
 * `rule-evaluate.ts`), storage with versions, CRUD, reorder, duplicate, import/export. `RulesService.forRun` gives
 * the later execution step the rule versions in force at an event's settings version.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RuleEntity, RuleVersionEntity, RuleActionRunEntity]),
    SyncModule,
    LptrackerModule,
    SettingsModule,
    AuditModule,
  ],
  controllers: [RulesController],
  providers: [RulesRepository, RuleValidationService, RulesService, RuleTransferService, RuleActivityService],
  exports: [RulesService, RuleValidationService],
})
export class RulesModule {}
