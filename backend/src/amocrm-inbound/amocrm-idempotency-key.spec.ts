import { fingerprintOf } from '../inbox/idempotency-key';
import { amocrmKey } from './amocrm-idempotency-key';

describe('amoCRM idempotency keys', () => {
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
});
