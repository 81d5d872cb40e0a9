import { Module } from '@nestjs/common';
import { AmocrmModule } from '../amocrm/amocrm.module';
import { AmocrmWriteBatcher } from './amocrm-write-batcher.service';
import { EchoGuardService } from './echo-guard.service';
import { KeyedLockService } from './keyed-lock.service';
import { SyncMetadataService } from './sync-metadata.service';

/**
 * What keeps the two systems in step without duplicates or loops: cross-process keyed locks, coalesced amoCRM
 * creates, the echo (loop) guard every write is recorded in, and metadata access for validating writes.
 * Mappings and rules will join it.
 */
@Module({
  imports: [AmocrmModule],
  providers: [KeyedLockService, AmocrmWriteBatcher, EchoGuardService, SyncMetadataService],
  exports: [KeyedLockService, AmocrmWriteBatcher, EchoGuardService, SyncMetadataService],
})
export class SyncModule {}
