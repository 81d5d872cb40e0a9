import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmocrmModule } from '../amocrm/amocrm.module';
import { SyncModule } from '../sync/sync.module';
import { ContactEntity } from './contact.entity';
import { ContactsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/** Contacts: the local mirror of amoCRM contacts and the client API to read, find-or-create and update them. */
@Module({
  imports: [TypeOrmModule.forFeature([ContactEntity]), AmocrmModule, SyncModule],
  controllers: [ContactsController],
  providers: [ContactsRepository, ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
