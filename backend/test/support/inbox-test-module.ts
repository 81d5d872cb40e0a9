/**
 * Test suites only: adds test adapters (and probes) to the application without any hook in production code.
 * `addInboxTestAdapters(factory)` wraps `AppModule.forRoot` so that every application made afterwards in this
 * process (in-process test apps, or the spawned process of `inbox-test-main.ts`) imports one more module, which
 * registers the factory's adapters in `onModuleInit`, like the real modules do, before any worker starts.
 */
import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import { InboxAdapterRegistry } from '../../src/inbox/inbox-adapter.registry';
import type { InboxSourceAdapter } from '../../src/inbox/source-adapter';

export type InboxTestAdapterFactory = (moduleRef: ModuleRef) => InboxSourceAdapter[];

const factories = new Set<InboxTestAdapterFactory>();
const originalForRoot = AppModule.forRoot.bind(AppModule);

@Module({})
class InboxTestAdaptersModule implements OnModuleInit {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    const registry = this.moduleRef.get(InboxAdapterRegistry, { strict: false });
    for (const factory of factories) {
      for (const adapter of factory(this.moduleRef)) {
        if (!registry.get(adapter.source)) registry.register(adapter);
      }
    }
  }
}

/** Every app built after this call (in this process) gets the factory's adapters. Idempotent per factory. */
export function addInboxTestAdapters(factory: InboxTestAdapterFactory): void {
  factories.add(factory);
  if ((AppModule.forRoot as { testAdapters?: boolean }).testAdapters) return;
  const forRoot = (config: AppConfig): DynamicModule => {
    const root = originalForRoot(config);
    return { ...root, imports: [...(root.imports ?? []), InboxTestAdaptersModule] };
  };
  Object.assign(forRoot, { testAdapters: true });
  AppModule.forRoot = forRoot;
}
