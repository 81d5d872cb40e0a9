import { InboxBadRequest } from '../inbox/source-adapter';
import { acceptedOf, parseDelivery, reconcileKeyOf } from './lptracker-delivery';
import { lptrackerKey } from './lptracker-idempotency-key';
import { MAX_LEADS_PER_DELIVERY } from './lptracker-inbound.constants';
import { parseLead, readDeliveryJson, updateFieldsOf } from './lptracker-lead-payload';

/** A callback's lead as LPTracker posts it (phones under contact.contacts[]). */
function callbackLead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 5001,
    project_id: 101,
    name: 'Заявка с сайта',
    stage_id: 7,
    stage: { id: 7, name: 'Новый' },
    owner_id: 3,
    updated_at: 1_765_000_000,
    view: { source: 'yandex', campaign: 'spring', keyword: 'окна' },
    custom: [{ id: 11, name: 'Бюджет', type: 'text', value: '100000' }],
    contact: {
      id: 900,
      name: 'Иван',
      project_id: 101,
      contacts: [
        { id: 1, type: 'phone', data: '8 (916) 123-45-67' },
        { id: 2, type: 'phone', data: '+7 916 123 45 67' },
        { id: 3, type: 'email', data: '  Ivan@Example.COM ' },
        { id: 4, type: 'phone', data: 'не телефон' },
      ],
    },
    action: 'update',
    action_timestamp: 1_765_000_000_123,
    action_update_fields: ['stage', 'stage_id'],
    ...overrides,
  };
}

const form = (value: unknown): Buffer =>
  Buffer.from(new URLSearchParams({ data: JSON.stringify(value) }).toString());
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

describe('LPTracker callback payload', () => {
  it('reads the lead from form field `data` and from a raw JSON body alike', () => {
    const lead = callbackLead();
    const fromForm = parseDelivery(form(lead), FORM, 'RU', 'webhook');
    const fromJson = parseDelivery(Buffer.from(JSON.stringify(lead)), JSON_TYPE, 'RU', 'webhook');
    expect(fromForm).toEqual(fromJson);
    expect(fromForm.leads).toHaveLength(1);
    expect(fromForm.leads[0].lead).toMatchObject({
      projectId: 101,
      id: 5001,
      action: 'update',
      name: 'Заявка с сайта',
    });
  });

  it('normalises contact.contacts[] phones to E.164 (one per number) and lower-cases e-mails', () => {
    const lead = parseLead(callbackLead(), 'RU');
    expect(lead.contact.phones).toEqual(['+79161234567']);
    expect(lead.contact.emails).toEqual(['ivan@example.com']);
    expect(lead.contact.invalidPhones).toEqual(['не телефон']);
  });

  it('reads contact.details[] too (a lead as the API answers it)', () => {
    const raw = callbackLead({ contact: { id: 1, details: [{ type: 'phone', data: '9161234567' }] } });
    expect(parseLead(raw, 'RU').contact.phones).toEqual(['+79161234567']);
  });

  it('takes action_update_fields as an array or as a (comma-joined) string', () => {
    expect(updateFieldsOf(['stage', 'custom.11'])).toEqual(['stage', 'custom.11']);
    expect(updateFieldsOf('stage,custom.11')).toEqual(['stage', 'custom.11']);
    expect(updateFieldsOf('stage')).toEqual(['stage']);
    expect(updateFieldsOf(undefined)).toBeNull();
    expect(parseLead(callbackLead({ action_update_fields: 'name, stage' }), 'RU').updateFields).toEqual([
      'name',
      'stage',
    ]);
  });

  it('keeps the lead date as sent (created_at, or lead_date), for the date transform of a mapping', () => {
    expect(parseLead(callbackLead({ created_at: '13.05.26 01:08:14' }), 'RU').createdAt).toBe(
      '13.05.26 01:08:14',
    );
    expect(parseLead(callbackLead({ created_at: undefined, lead_date: 1765000000 }), 'RU').createdAt).toBe(
      '1765000000',
    );
  });

  it('keeps calls_records as call records, and null when the callback carries none', () => {
    const calls = [
      { id: '31', time: 1_765_000_100, duration: 12, type: 'out', disposition: 'BUSY', owner_id: 3 },
    ];
    expect(parseLead(callbackLead({ calls_records: calls }), 'RU').calls).toEqual([
      {
        id: 31,
        time: 1_765_000_100,
        durationSeconds: 12,
        type: 'out',
        disposition: 'BUSY',
        record: null,
        ownerId: 3,
      },
    ]);
    expect(parseLead(callbackLead({ calls_records: [] }), 'RU').calls).toEqual([]);
    expect(parseLead(callbackLead(), 'RU').calls).toBeNull();
    expect(parseLead(callbackLead({ calls_records: 'none' }), 'RU').calls).toBeNull();
  });

  it('builds the key from project_id, id, action and action_timestamp', () => {
    const parsed = parseDelivery(form(callbackLead()), FORM, 'RU', 'webhook');
    expect(parsed.leads[0].key).toEqual({
      key: '101:5001:update:1765000000123',
      entityType: 'lead',
      entityId: '5001',
    });
    const later = parseDelivery(
      form(callbackLead({ action_timestamp: 1_765_000_000_999 })),
      FORM,
      'RU',
      'webhook',
    );
    expect(later.leads[0].key.key).not.toBe(parsed.leads[0].key.key);
    expect(lptrackerKey({ projectId: 1, id: 'a:b', action: 'CREATE', actionTimestamp: 5 }).key).toBe(
      '1:a%3Ab:create:5',
    );
  });

  it('keys a reconciled lead by its updated_at, so one version read twice is one change', () => {
    const lead = parseLead(callbackLead({ action: undefined }), 'RU', 'reconcile');
    expect(reconcileKeyOf(lead).key).toBe('101:5001:reconcile:1765000000');
  });

  it('names the event and the projects for the project check', () => {
    const accepted = acceptedOf(
      parseDelivery(form(callbackLead({ action: 'create' })), FORM, 'RU', 'webhook'),
    );
    expect(accepted.eventType).toBe('lead.create');
    expect(accepted.summary).toEqual({ projects: [101], leads: 1, leadId: 5001, name: 'Заявка с сайта' });
  });

  it.each([
    ['another content type', Buffer.from('x'), 'text/plain', 'unsupported_content_type'],
    ['a form without data', Buffer.from('other=1'), FORM, 'malformed_body'],
    ['data that is not JSON', Buffer.from('data=%7Bnope'), FORM, 'malformed_body'],
    ['a JSON body that is not JSON', Buffer.from('{'), JSON_TYPE, 'malformed_body'],
    [
      'a prototype key',
      Buffer.from('{"id":1,"project_id":2,"__proto__":{"x":1}}'),
      JSON_TYPE,
      'malformed_body',
    ],
    [
      'a nested constructor key',
      Buffer.from('{"id":1,"project_id":2,"view":{"constructor":1}}'),
      JSON_TYPE,
      'malformed_body',
    ],
    [
      'a body nested too deep',
      Buffer.from(`${'['.repeat(40)}${']'.repeat(40)}`),
      JSON_TYPE,
      'malformed_body',
    ],
    ['a lead without id', form(callbackLead({ id: null })), FORM, 'malformed_body'],
    ['a lead without project', form(callbackLead({ project_id: 'x', contact: {} })), FORM, 'malformed_body'],
    ['a lead without action', form(callbackLead({ action: 5 })), FORM, 'malformed_body'],
    ['a string body', Buffer.from('"lead"'), JSON_TYPE, 'malformed_body'],
  ])('refuses %s', (_name, body, contentType, reason) => {
    let caught: unknown;
    try {
      parseDelivery(body, contentType, 'RU', 'webhook');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InboxBadRequest);
    expect((caught as InboxBadRequest).reason).toBe(reason);
  });

  it('caps the leads of one delivery (413, recorded)', () => {
    const leads = Array.from({ length: MAX_LEADS_PER_DELIVERY + 1 }, (_, i) => callbackLead({ id: i + 1 }));
    expect(() => parseDelivery(Buffer.from(JSON.stringify({ leads })), JSON_TYPE, 'RU', 'webhook')).toThrow(
      expect.objectContaining({ reason: 'too_many_changes' }) as Error,
    );
  });

  it('refuses a form with many keys before reading it', () => {
    const body = Buffer.from(Array.from({ length: 100 }, (_, i) => `k${i}=1`).join('&'));
    expect(() => readDeliveryJson(body, FORM)).toThrow(InboxBadRequest);
  });
});
