import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/app-config';
import { ContactsModule } from '../contacts/contacts.module';
import { InboxModule } from '../inbox/inbox.module';
import { LeadsModule } from '../leads/leads.module';
import { ExportsController } from './export/exports.controller';
import { ExportsService } from './export/exports.service';
import { ImportEntity, ImportFileChunkEntity, ImportTemplateEntity } from './import.entity';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { UploadLimitFilter } from './upload-limit.filter';
import { registerQueue } from '../queue/queue-names';
import { SyncModule } from '../sync/sync.module';
import { CallResultsModule } from '../sync/call-results/call-results.module';
import { LptrackerSyncModule } from '../sync/lptracker/lptracker-sync.module';
import { CallRowWriter } from './run/call-row-writer.service';
import { ImportRowEntity, ImportRunEntity } from './run/import-row.entity';
import { ImportRowWriter } from './run/import-row-writer.service';
import { ImportRowsRepository } from './run/import-rows.repository';
import { IMPORTS_QUEUE } from './run/import-run.constants';
import { ImportRunProcessor } from './run/import-run.processor';
import { ImportRunner } from './run/import-runner.service';
import { ImportRunsController } from './run/import-runs.controller';
import { ImportRunsService } from './run/import-runs.service';
import { LptrackerRowWriter } from './run/lptracker-row-writer';

/**
 * Spreadsheets in and out (issue #14): uploads with their preview and column mapping, and the exports of the
 * contacts, leads and events lists. It reads the mirror and the inbox's events through their services; the
 * processing of imported rows will go through the engine (src/sync), never a second path.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ImportEntity,
      ImportFileChunkEntity,
      ImportTemplateEntity,
      ImportRowEntity,
      ImportRunEntity,
    ]),
    registerQueue(IMPORTS_QUEUE),
    SyncModule,
    CallResultsModule,
    LptrackerSyncModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // uploads wait here only while the request runs: the file is moved into the database, then deleted
        const destination = join(tmpdir(), 'amoint-uploads');
        mkdirSync(destination, { recursive: true, mode: 0o700 });
        return {
          dest: destination,
          defParamCharset: 'utf8',
          limits: {
            fileSize: config.importMaxMb * 1024 * 1024,
            files: 1,
            fields: 10,
            parts: 11,
            fieldSize: 1024,
          },
        };
      },
    }),
    AuditModule,
    ContactsModule,
    LeadsModule,
    InboxModule,
  ],
  controllers: [ExportsController, ImportRunsController, ImportsController],
  providers: [
    ImportsRepository,
    ImportsService,
    ExportsService,
    UploadLimitFilter,
    ImportRowsRepository,
    ImportRowWriter,
    CallRowWriter,
    LptrackerRowWriter,
    ImportRunner,
    ImportRunsService,
    ImportRunProcessor,
  ],
})
export class ImportsModule {}
