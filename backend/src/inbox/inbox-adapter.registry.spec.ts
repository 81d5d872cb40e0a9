import { InboxAdapterRegistry } from './inbox-adapter.registry';
import type { InboxSourceAdapter } from './source-adapter';

const adapter = (source: string): InboxSourceAdapter => ({
  source,
  accept: () => ({ eventType: 'x', keys: [], summary: {} }),
  process: () => Promise.resolve({}),
});

describe('InboxAdapterRegistry', () => {
  it('finds adapters by source', () => {
    const registry = new InboxAdapterRegistry();
    const amo = adapter('amocrm');
    registry.register(amo);
    registry.register(amo); // idempotent for the same instance
    registry.register(adapter('lptracker'));
    expect(registry.get('amocrm')).toBe(amo);
    expect(registry.get('other')).toBeUndefined();
    expect(registry.sources()).toEqual(['amocrm', 'lptracker']);
  });

  it('refuses a second adapter for a source and malformed source names', () => {
    const registry = new InboxAdapterRegistry();
    registry.register(adapter('amocrm'));
    expect(() => registry.register(adapter('amocrm'))).toThrow('already registered');
    expect(() => registry.register(adapter('Amo CRM'))).toThrow('lowercase');
  });
});
