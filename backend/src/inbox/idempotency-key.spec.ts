import {
  amocrmKey,
  assertValidKey,
  entityVersionKey,
  fingerprintOf,
  keyHash,
  lptrackerKey,
} from './idempotency-key';

describe('idempotency keys', () => {
  it('names an amoCRM change by entity, action, id and last_modified', () => {
    expect(amocrmKey({ entity: 'leads', action: 'status', id: 123, lastModified: 1700000000 })).toEqual({
      key: 'leads:status:123:1700000000',
      entityType: 'lead',
      entityId: '123',
    });
  });

  it('tells two changes of one lead apart by their version, and repeats the key for a redelivery', () => {
    const first = amocrmKey({ entity: 'leads', action: 'update', id: '5', lastModified: '100' });
    const again = amocrmKey({ entity: 'LEADS', action: 'update', id: ' 5 ', lastModified: 100 });
    const later = amocrmKey({ entity: 'leads', action: 'update', id: '5', lastModified: '101' });
    expect(again.key).toBe(first.key);
    expect(later.key).not.toBe(first.key);
  });

  it('falls back to updated_at, then to a content fingerprint', () => {
    expect(amocrmKey({ entity: 'contacts', action: 'add', id: 7, updatedAt: 42 }).key).toBe(
      'contacts:add:7:42',
    );
    const fingerprint = fingerprintOf('contacts[add][0][id]=7&contacts[add][0][name]=Ann');
    expect(amocrmKey({ entity: 'contacts', action: 'add', id: 7, lastModified: '', fingerprint }).key).toBe(
      `contacts:add:7:~${fingerprint}`,
    );
    expect(() => amocrmKey({ entity: 'contacts', action: 'add', id: 7 })).toThrow(/last_modified/);
  });

  it('builds LPTracker keys from project, lead, action and action_timestamp', () => {
    expect(
      lptrackerKey({ projectId: 77, id: 9001, action: 'update', actionTimestamp: 1700000000123 }),
    ).toEqual({
      key: '77:9001:update:1700000000123',
      entityType: 'lead',
      entityId: '9001',
    });
    expect(() => lptrackerKey({ projectId: 77, id: 9001, action: 'update', actionTimestamp: null })).toThrow(
      /action_timestamp/,
    );
  });

  it('escapes the separator so parts cannot run into each other', () => {
    const a = entityVersionKey('lead', 'a:b', 'c');
    const b = entityVersionKey('lead', 'a', 'b:c');
    expect(a.key).not.toBe(b.key);
  });

  it('scopes the stored hash to workspace and source', () => {
    const base = keyHash('w1', 'amocrm', 'leads:add:1:1');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(keyHash('w2', 'amocrm', 'leads:add:1:1')).not.toBe(base);
    expect(keyHash('w1', 'lptracker', 'leads:add:1:1')).not.toBe(base);
    expect(keyHash('w1', 'amocrm', 'leads:add:1:1')).toBe(base);
  });

  it('refuses keys an adapter built wrongly', () => {
    expect(() => assertValidKey({ key: '', entityType: 'lead', entityId: '1' })).toThrow();
    expect(() => assertValidKey({ key: 'x'.repeat(301), entityType: 'lead', entityId: '1' })).toThrow();
    expect(() => assertValidKey({ key: 'a\nb', entityType: 'lead', entityId: '1' })).toThrow();
    expect(() => assertValidKey({ key: 'ok', entityType: 'lead', entityId: '' })).toThrow();
  });
});
