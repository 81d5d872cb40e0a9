import { Module } from '@nestjs/common';
import { AmocrmModule } from '../amocrm/amocrm.module';
import { ContactsModule } from '../contacts/contacts.module';
import { LeadsModule } from '../leads/leads.module';
import { AmocrmWriteBatcher } from './amocrm-write-batcher.service';
import { ContactMirrorListing } from './contacts/contact-mirror-listing';
import { ContactSyncService } from './contacts/contact-sync.service';
import { ContactUpdateService } from './contacts/contact-update.service';
import { ContactsController } from './contacts/contacts.controller';
import { EchoGuardService } from './echo-guard.service';
import { EngineWritesService } from './engine-writes';
import { KeyedLockService } from './keyed-lock.service';
import { LeadSyncService } from './leads/lead-sync.service';
import { LeadUpdateService } from './leads/lead-update.service';
import { LeadsController } from './leads/leads.controller';
import { MappingsModule } from './mappings/mappings.module';
import { SyncMetadataService } from './sync-metadata.service';

/**
 * The engine: find-or-create and update of contacts and leads in the CRM and then the mirror (cross-process
 * identity locks, coalesced amoCRM creates, the echo (loop) guard every write is recorded in, metadata checks),
 * and the client REST API of contacts and leads (reads from the mirror, writes through the engine). Depends on
 * the mirror (ContactsModule, LeadsModule) and the CRM client (AmocrmModule), never the reverse. Mappings and
 * rules will join it.
 */
@Module({
  imports: [AmocrmModule, ContactsModule, LeadsModule, MappingsModule],
  controllers: [ContactsController, LeadsController],
  providers: [
    KeyedLockService,
    AmocrmWriteBatcher,
    EchoGuardService,
    EngineWritesService,
    SyncMetadataService,
    ContactSyncService,
    ContactMirrorListing,
    ContactUpdateService,
    LeadSyncService,
    LeadUpdateService,
  ],
  exports: [
    MappingsModule,
    KeyedLockService,
    AmocrmWriteBatcher,
    EchoGuardService,
    EngineWritesService,
    SyncMetadataService,
    ContactSyncService,
    ContactMirrorListing,
    ContactUpdateService,
    LeadSyncService,
    LeadUpdateService,
  ],
})
export class SyncModule {}
