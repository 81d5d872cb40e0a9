import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SettingsVersionsRepository } from './settings-versions.repository';

/**
 * The version of a workspace's mappings and rules. Every inbox event records the version current when it was
 * received (read inside the insert, so it is exact); a replay applies either that version or the current one.
 * Modules that change mappings or rules call `bumpSettingsVersion` in the same transaction as their change.
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
