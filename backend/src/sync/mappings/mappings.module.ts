import { Module } from '@nestjs/common';
import { AmocrmModule } from '../../amocrm/amocrm.module';
import { AuditModule } from '../../audit/audit.module';
import { LptrackerModule } from '../../lptracker/lptracker.module';
import { SettingsModule } from '../../settings/settings.module';
import { LptrackerMappingsRepository } from './lptracker-mappings.repository';
import { MappingsController } from './mappings.controller';
import { MappingsService } from './mappings.service';

/**
 * Field mappings between LPTracker projects and amoCRM (versioned, validated against both metadata caches, a
 * default made when a project is enabled) and their REST API. The pure evaluators are `mapping-apply.ts`.
 */
@Module({
  imports: [AmocrmModule, LptrackerModule, SettingsModule, AuditModule],
  controllers: [MappingsController],
  providers: [LptrackerMappingsRepository, MappingsService],
  exports: [MappingsService],
})
export class MappingsModule {}
