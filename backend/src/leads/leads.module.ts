import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmocrmModule } from '../amocrm/amocrm.module';
import { ContactsModule } from '../contacts/contacts.module';
import { SyncModule } from '../sync/sync.module';
import { LeadEntity } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';

/** Leads: the local mirror of amoCRM leads and the client API to read, find-or-create and update them. */
@Module({
  imports: [TypeOrmModule.forFeature([LeadEntity]), AmocrmModule, SyncModule, ContactsModule],
  controllers: [LeadsController],
  providers: [LeadsRepository, LeadsService],
  exports: [LeadsService],
})
export class LeadsModule {}
