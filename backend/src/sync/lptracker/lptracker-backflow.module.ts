import { Module } from '@nestjs/common';
import { SyncModule } from '../sync.module';
import { LptrackerEchoGuardService } from './lptracker-echo-guard.service';

/**
 * amoCRM → LPTracker: the echo guard of our writes to LPTracker leads (the LPTracker → amoCRM sync asks it before
 * writing) and the back-flow of amoCRM stage and mapped field changes on linked leads.
 */
@Module({
  imports: [SyncModule],
  providers: [LptrackerEchoGuardService],
  exports: [LptrackerEchoGuardService],
})
export class LptrackerBackflowModule {}
