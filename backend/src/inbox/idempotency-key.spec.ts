import {
  assertValidKey,
  checkedKey,
  entityVersionKey,
  keyHash,
  keyPart,
  keyVersion,
  type Scalar,
} from './idempotency-key';
import type { InboxKey } from './source-adapter';

describe('idempotency keys', () => {
  it('builds a key from required parts: a missing part is named, a version of 0 or empty is none', () => {
    const key = (projectId: Scalar, timestamp: Scalar): InboxKey =>
      checkedKey({
        key: [keyPart(projectId, 'project_id'), keyPart(timestamp, 'action_timestamp')].join(':'),
        entityType: 'lead',
        entityId: '9001',
      });
    expect(key(77, 1700000000123).key).toBe('77:1700000000123');
    expect(() => key(77, null)).toThrow(/action_timestamp/);
    expect(() => key(' ', 1)).toThrow(/project_id/);
    expect([keyVersion(0), keyVersion(''), keyVersion(' 12 ')]).toEqual([undefined, undefined, '12']);
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
