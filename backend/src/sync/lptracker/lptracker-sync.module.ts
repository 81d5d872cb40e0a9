import { Module } from '@nestjs/common';
import { AmocrmModule } from '../../amocrm/amocrm.module';
import { LeadsModule } from '../../leads/leads.module';
import { LptrackerModule } from '../../lptracker/lptracker.module';
import { MappingsModule } from '../mappings/mappings.module';
import { SyncModule } from '../sync.module';
import { LptrackerBackflowModule } from './lptracker-backflow.module';
import { LptrackerIncomingLeadService } from './lptracker-incoming-lead.service';
import { LptrackerLeadCreateService } from './lptracker-lead-create.service';
import { LptrackerLeadSyncService } from './lptracker-lead-sync.service';
import { LptrackerLeadUpdateService } from './lptracker-lead-update.service';
import { LptrackerLeadWriteService } from './lptracker-lead-write.service';
import { LptrackerLinksController } from './lptracker-links.controller';
import { LptrackerLinksModule } from './lptracker-links.module';
import { LptrackerLinksViewService } from './lptracker-links-view.service';

/**
 * The LPTracker → amoCRM sync (`LptrackerLeadSyncService.apply`, used by the LPTracker inbound side; it asks the
 * back-flow's LPTracker echo guard before writing) and `GET /api/v1/links`. The link table itself is LptrackerLinksModule (re-exported).
 */
@Module({
  imports: [
    AmocrmModule,
    LeadsModule,
    SyncModule,
    LptrackerModule,
    LptrackerLinksModule,
    LptrackerBackflowModule,
    MappingsModule,
  ],
  controllers: [LptrackerLinksController],
  providers: [
    LptrackerIncomingLeadService,
    LptrackerLeadCreateService,
    LptrackerLeadUpdateService,
    LptrackerLeadWriteService,
    LptrackerLeadSyncService,
    LptrackerLinksViewService,
  ],
  exports: [LptrackerLeadSyncService, LptrackerLeadWriteService, LptrackerLinksModule],
})
export class LptrackerSyncModule {}
