import { Module } from '@nestjs/common';
import { InboxModule } from '../../inbox/inbox.module';
import { SyncModule } from '../../sync/sync.module';
import { MappingPreviewController } from './mapping-preview.controller';
import { MappingPreviewService } from './mapping-preview.service';

/** The mapping editor's live preview: reads LPTracker events from the inbox, plans with the engine's mappings. */
@Module({
  imports: [InboxModule, SyncModule],
  controllers: [MappingPreviewController],
  providers: [MappingPreviewService],
})
export class MappingPreviewModule {}
