import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { InboxAdapterRegistry } from './inbox-adapter.registry';
import type { InboxSourceAdapter } from './source-adapter';

/** What a module named by INBOX_TEST_ADAPTERS exports. */
export type InboxTestAdapterFactory = (
  moduleRef: ModuleRef,
) => InboxSourceAdapter[] | Promise<InboxSourceAdapter[]>;

/**
 * Test suites only: INBOX_TEST_ADAPTERS (accepted only with NODE_ENV=test) names a module whose
 * `createInboxTestAdapters(moduleRef)` returns extra adapters, so spawned api/worker processes can process a
 * test source before the real adapters exist. Loaded once every module has registered its own adapters, and
 * never in place of one: a real adapter of the same source wins. Does nothing in any other environment.
 */
@Injectable()
export class TestAdaptersLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(TestAdaptersLoader.name);

  constructor(
    private readonly config: AppConfig,
    private readonly registry: InboxAdapterRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const path = this.config.inboxTestAdapters;
    if (!path || this.config.nodeEnv !== 'test') return;
    const loaded = (await import(path)) as { createInboxTestAdapters?: InboxTestAdapterFactory };
    if (typeof loaded.createInboxTestAdapters !== 'function') {
      throw new Error(`INBOX_TEST_ADAPTERS: ${path} does not export createInboxTestAdapters`);
    }
    for (const adapter of await loaded.createInboxTestAdapters(this.moduleRef)) {
      if (this.registry.get(adapter.source)) {
        this.logger.warn(`test adapter for "${adapter.source}" not loaded: a real one is registered`);
        continue;
      }
      this.registry.register(adapter);
      this.logger.warn(`test adapter for "${adapter.source}" loaded from ${path}`);
    }
  }
}
