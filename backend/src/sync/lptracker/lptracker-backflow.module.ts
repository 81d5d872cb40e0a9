import { Module } from '@nestjs/common';
import { LptrackerModule } from '../../lptracker/lptracker.module';
import { MappingsModule } from '../mappings/mappings.module';
import { SyncModule } from '../sync.module';
import { LptrackerBackflowService } from './lptracker-backflow.service';
import { LptrackerEchoGuardService } from './lptracker-echo-guard.service';
import { LptrackerLinksModule } from './lptracker-links.module';

/**
 * amoCRM → LPTracker: the echo guard of our writes to LPTracker leads (the LPTracker → amoCRM sync asks it before
 * writing) and the back-flow of amoCRM stage and mapped field changes on linked leads.
 */
@Module({
  imports: [SyncModule, LptrackerModule, MappingsModule, LptrackerLinksModule],
  providers: [LptrackerEchoGuardService, LptrackerBackflowService],
  exports: [LptrackerEchoGuardService, LptrackerBackflowService],
})
export class LptrackerBackflowModule {}
