import { Injectable, Logger } from '@nestjs/common';
import type { InboxSourceAdapter } from './source-adapter';

const SOURCE_NAME = /^[a-z][a-z0-9-]{1,31}$/;

/**
 * The source adapters of this process. A module that brings a source imports InboxModule and registers its
 * adapter in `onModuleInit`, so both the API (intake) and the workers (processing) know it.
 */
@Injectable()
export class InboxAdapterRegistry {
  private readonly logger = new Logger(InboxAdapterRegistry.name);
  private readonly adapters = new Map<string, InboxSourceAdapter>();

  register(adapter: InboxSourceAdapter): void {
    if (!SOURCE_NAME.test(adapter.source)) {
      throw new Error(`inbox source "${adapter.source}" must be 2-32 lowercase letters, digits or dashes`);
    }
    const existing = this.adapters.get(adapter.source);
    if (existing && existing !== adapter)
      throw new Error(`an inbox adapter for "${adapter.source}" is already registered`);
    this.adapters.set(adapter.source, adapter);
    this.logger.log(`inbox source "${adapter.source}" registered`);
  }

  get(source: string): InboxSourceAdapter | undefined {
    return this.adapters.get(source);
  }

  sources(): string[] {
    return [...this.adapters.keys()].sort();
  }
}
