import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SettingsVersionsRepository } from './settings-versions.repository';

/**
 * The version of a workspace's processing settings. It will carry the versions of the field mappings and rules
 * (the modules that change them call `bumpSettingsVersion` in the same transaction as their change, and the
 * adapters read the settings of the version they are told to apply). Until those exist no stored setting changes
 * how an event is processed, so nothing bumps it: every event records the version current when it was received
 * (read inside the insert, so it is exact, 0 today), and a replay applies that version (`as_received`); replaying
 * "with the current settings" comes back with mappings and rules.
 */
@Injectable()
export class SettingsVersionService {
  constructor(private readonly versions: SettingsVersionsRepository) {}

  /** 0 until the workspace's settings are first changed. */
  currentSettingsVersion(workspaceId: string): Promise<number> {
    return this.versions.current(workspaceId);
  }

  /** Increments the version and returns the new one; pass your transaction's manager to bump atomically with your change. */
  bumpSettingsVersion(workspaceId: string, manager?: EntityManager): Promise<number> {
    return manager
      ? this.versions.increment(manager, workspaceId)
      : this.versions.transaction((own) => this.versions.increment(own, workspaceId));
  }
}
