import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactIdentitiesRepository } from './contact-identities.repository';
import { ContactIdentityEntity } from './contact-identity.entity';
import { ContactEntity } from './contact.entity';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/**
 * Contacts: the local mirror of CRM contacts (entity, repository, reads and row writes). It imports no engine,
 * inbox or CRM module: the engine (SyncModule) finds, creates and updates contacts and serves their REST API.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ContactEntity, ContactIdentityEntity])],
  providers: [ContactsRepository, ContactIdentitiesRepository, ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
