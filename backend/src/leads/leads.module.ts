import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadEntity } from './lead.entity';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';

/**
 * Leads: the local mirror of CRM leads (entity, repository, reads and row writes). It imports no engine, inbox
 * or CRM module: the engine (SyncModule) finds, creates and updates leads and serves their REST API.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LeadEntity])],
  providers: [LeadsRepository, LeadsService],
  exports: [LeadsService],
})
export class LeadsModule {}
