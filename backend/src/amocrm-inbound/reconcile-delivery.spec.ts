import { InboxBadRequest } from '../inbox/source-adapter';
import { acceptReconcileDelivery, reconcileBody, reconcileKey } from './reconcile-delivery';

const lead = {
  id: 18000001,
  name: 'Сделка',
  price: 0,
  responsible_user_id: 1,
  status_id: 61000001,
  pipeline_id: 7200001,
  created_at: 1795315100,
  updated_at: 1795315186,
  custom_fields_values: null,
  _links: { self: { href: 'http://x/api/v4/leads/18000001' } },
};

const delivery = (body: string, contentType = 'application/json') => ({
  workspaceId: 'ws',
  source: 'reconcile',
  headers: {},
  rawBody: Buffer.from(body),
  contentType,
});

describe('reconciliation deliveries', () => {
  it('keys an entity by its version, so the same version listed again is a duplicate', () => {
    expect(reconcileKey('leads', lead)).toEqual({
      key: expect.stringMatching(/^leads:reconcile:18000001:1795315186~[\w-]{22}$/),
      entityType: 'lead',
      entityId: '18000001',
    });
    expect(reconcileKey('leads', { ...lead, _links: {} }).key).toBe(reconcileKey('leads', lead).key);
    expect(reconcileKey('leads', { ...lead, status_id: 142 }).key).not.toBe(reconcileKey('leads', lead).key);
    const body = reconcileBody({
      account: { id: 31000001, subdomain: 'demo' },
      entity: 'leads',
      items: [lead],
    });
    expect(body).not.toContain('_links');
    expect(acceptReconcileDelivery(delivery(body))).toEqual({
      eventType: 'leads.reconcile',
      keys: [reconcileKey('leads', lead)],
      summary: { account: 'demo', accountId: 31000001, changes: 1, leads: [18000001] },
    });
  });

  it('refuses anything else: other content types, broken entities, prototype keys', () => {
    const refused = (body: string, contentType?: string) => {
      try {
        acceptReconcileDelivery(delivery(body, contentType));
      } catch (error) {
        return error instanceof InboxBadRequest ? error.reason : 'other';
      }
      return 'accepted';
    };
    const account = { id: 31000001, subdomain: 'demo' };
    expect(refused('{}', 'text/plain')).toBe('unsupported_content_type');
    expect(refused('not json')).toBe('malformed_body');
    expect(refused(JSON.stringify({ account, entity: 'leads', items: [{ id: 1, name: 'x' }] }))).toBe(
      'malformed_body',
    );
    expect(refused(JSON.stringify({ account, entity: 'tasks', items: [lead] }))).toBe('malformed_body');
    expect(
      refused(`{"account":{"id":1,"subdomain":"d"},"entity":"leads","items":[{"__proto__":{"x":1}}]}`),
    ).toBe('malformed_body');
  });
});
