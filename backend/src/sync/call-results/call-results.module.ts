import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '../../contacts/contacts.module';
import { LeadsModule } from '../../leads/leads.module';
import { LptrackerLinksModule } from '../lptracker/lptracker-links.module';
import { SyncModule } from '../sync.module';
import { CallResultEntity } from './call-result.entity';
import { CallResultsController } from './call-results.controller';
import { CallResultsRepository } from './call-results.repository';
import { CallResultsService } from './call-results.service';

/**
 * Call results (issue #14 §4): the table, `POST/GET /api/v1/call-results` and `…/summary`, and
 * `CallResultsService` for the other writers (imports of kind `call_results`, LPTracker's call records).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([CallResultEntity]),
    ContactsModule,
    LeadsModule,
    LptrackerLinksModule,
    SyncModule,
  ],
  controllers: [CallResultsController],
  providers: [CallResultsRepository, CallResultsService],
  exports: [CallResultsService],
})
export class CallResultsModule {}
