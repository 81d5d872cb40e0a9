import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsVersionService } from './settings-version.service';
import { SettingsVersionsRepository } from './settings-versions.repository';
import { WorkspaceSettingsVersionEntity } from './workspace-settings-version.entity';

/**
 * The workspace settings version: one counter per workspace that mappings and rules bump in the transaction of
 * their change. The inbox records the value current at receipt on every event (read inside its insert), so a run
 * knows which mapping and rule versions to apply. Shared: the engine and the inbox both read it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WorkspaceSettingsVersionEntity])],
  providers: [SettingsVersionsRepository, SettingsVersionService],
  exports: [SettingsVersionService],
})
export class SettingsModule {}
