import { InboxBadRequest, type InboxDelivery } from '../inbox/source-adapter';
import {
  acceptAmocrmWebhook,
  deliveryAccount,
  eventTypeOf,
  MAX_WEBHOOK_CHANGES,
  parseWebhookBody,
} from './webhook-delivery';

function delivery(
  body: string | [string, string][],
  contentType = 'application/x-www-form-urlencoded',
): InboxDelivery {
  return {
    workspaceId: 'ws',
    source: 'amocrm',
    headers: {},
    rawBody: Buffer.from(typeof body === 'string' ? body : new URLSearchParams(body).toString()),
    contentType,
  };
}

const ACCOUNT: [string, string][] = [
  ['account[subdomain]', 'demo'],
  ['account[id]', '31000001'],
];

function refusal(run: () => unknown): InboxBadRequest {
  try {
    run();
  } catch (error) {
    if (error instanceof InboxBadRequest) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** `count` lead changes that carry nothing but their id (amoCRM's bulk shape). */
function leadAdds(count: number, entity = 'leads'): [string, string][] {
  return Array.from({ length: count }, (_, index): [string, string] => [
    `${entity}[add][${index}][id]`,
    String(18_000_000 + index),
  ]);
}

describe('accepting an amoCRM webhook (the hot path)', () => {
  it('accepts up to MAX_WEBHOOK_CHANGES entity changes and refuses more, saying how many and the cap', () => {
    expect(acceptAmocrmWebhook(delivery([...leadAdds(MAX_WEBHOOK_CHANGES), ...ACCOUNT])).keys).toHaveLength(
      MAX_WEBHOOK_CHANGES,
    );
    const tooMany = refusal(() =>
      acceptAmocrmWebhook(
        delivery([...leadAdds(MAX_WEBHOOK_CHANGES), ...leadAdds(1, 'contacts'), ...ACCOUNT]),
      ),
    );
    expect(tooMany.reason).toBe('too_many_changes');
    expect(tooMany.message).toBe(
      `the webhook has ${MAX_WEBHOOK_CHANGES + 1} entity changes; at most ${MAX_WEBHOOK_CHANGES} are accepted in one delivery`,
    );
  });

  it('names one key per entity change: entity, action, id and version; the type and a searchable summary', () => {
    const accepted = acceptAmocrmWebhook(
      delivery([
        ['leads[status][0][id]', '18000001'],
        ['leads[status][0][last_modified]', '1795315186'],
        ['leads[status][1][id]', '18000002'],
        ['leads[status][1][updated_at]', '1795315190'],
        ['leads[status][1][last_modified]', '1795315100'],
        ...ACCOUNT,
      ]),
    );
    expect(accepted.eventType).toBe('leads.status');
    expect(accepted.keys).toEqual([
      {
        key: expect.stringMatching(/^leads:status:18000001:1795315186~[\w-]{22}$/),
        entityType: 'lead',
        entityId: '18000001',
      },
      {
        key: expect.stringMatching(/^leads:status:18000002:1795315190~[\w-]{22}$/),
        entityType: 'lead',
        entityId: '18000002',
      },
    ]);
    expect(accepted.summary).toEqual({
      account: 'demo',
      accountId: 31000001,
      changes: 2,
      leads: [18000001, 18000002],
    });
    expect(deliveryAccount(accepted.summary)).toEqual({ id: 31000001, subdomain: 'demo' });
  });

  it('keys a body of two leads and a contact per entity, as a mixed event', () => {
    const accepted = acceptAmocrmWebhook(
      delivery([
        ['leads[update][0][id]', '1'],
        ['leads[update][0][last_modified]', '100'],
        ['leads[update][1][id]', '2'],
        ['leads[update][1][last_modified]', '100'],
        ['contacts[add][0][id]', '3'],
        ['contacts[add][0][last_modified]', '99'],
        ['tasks[add][0][id]', '4'],
        ['tasks[add][0][last_modified]', '99'],
        ...ACCOUNT,
      ]),
    );
    expect(accepted.eventType).toBe('mixed');
    expect(accepted.keys.map((key) => key.key.replace(/~.*/, ''))).toEqual([
      'leads:update:1:100',
      'leads:update:2:100',
      'contacts:add:3:99',
      'tasks:add:4:99',
    ]);
    expect(accepted.summary).toMatchObject({ leads: [1, 2], contacts: [3], others: 1 });
  });

  it('names the first deal or contact of the body in the summary, cut to 120 characters', () => {
    const accepted = acceptAmocrmWebhook(
      delivery([
        ['tasks[add][0][id]', '4'],
        ['tasks[add][0][name]', 'Позвонить'],
        ['contacts[add][0][id]', '3'],
        ['contacts[add][0][name]', 'Иван Петров'],
        ['leads[add][0][id]', '1'],
        ['leads[add][0][name]', 'x'.repeat(300)],
        ...ACCOUNT,
      ]),
    );
    expect(['Иван Петров', 'x'.repeat(120)]).toContain(accepted.summary.name);
    const unnamed = acceptAmocrmWebhook(delivery([...leadAdds(1), ...ACCOUNT]));
    expect(unnamed.summary).not.toHaveProperty('name');
    const long = acceptAmocrmWebhook(
      delivery([['leads[add][0][id]', '1'], ['leads[add][0][name]', 'x'.repeat(300)], ...ACCOUNT]),
    );
    expect(long.summary.name).toBe('x'.repeat(120));
  });

  it('repeats the key for a re-sent body, and tells apart two changes within the same second', () => {
    const update = (name: string): [string, string][] => [
      ['leads[update][0][id]', '7'],
      ['leads[update][0][name]', name],
      ['leads[update][0][last_modified]', '1795315186'],
      ...ACCOUNT,
    ];
    const first = acceptAmocrmWebhook(delivery(update('Сделка'))).keys[0].key;
    expect(acceptAmocrmWebhook(delivery(update('Сделка'))).keys[0].key).toBe(first);
    expect(acceptAmocrmWebhook(delivery(update('Сделка 2'))).keys[0].key).not.toBe(first);
  });

  it('keys a versionless change (a deletion) by its content: the same body repeats the key', () => {
    const body: [string, string][] = [
      ['leads[delete][0][id]', '5'],
      ['leads[delete][0][status_id]', '142'],
      ...ACCOUNT,
    ];
    const first = acceptAmocrmWebhook(delivery(body)).keys[0];
    expect(first.key).toMatch(/^leads:delete:5:~[\w-]{22}$/);
    expect(acceptAmocrmWebhook(delivery(body)).keys[0]).toEqual(first);
    const other = acceptAmocrmWebhook(delivery([['leads[delete][0][id]', '6'], ...ACCOUNT])).keys[0];
    expect(other.key).not.toBe(first.key);
  });

  it('refuses other content types, bodies without an account and bodies the parser refuses', () => {
    expect(refusal(() => acceptAmocrmWebhook(delivery('{"a":1}', 'application/json'))).reason).toBe(
      'unsupported_content_type',
    );
    expect(refusal(() => acceptAmocrmWebhook(delivery([['leads[add][0][id]', '1']]))).reason).toBe(
      'malformed_body',
    );
    for (const key of ['__proto__[x]', 'leads[constructor][0]', 'account[prototype]']) {
      const error = refusal(() => acceptAmocrmWebhook(delivery([[key, '1'], ...ACCOUNT])));
      expect(error.reason).toBe('malformed_body');
    }
    expect(refusal(() => parseWebhookBody(Buffer.from('a]b[=1'))).message).toMatch(/malformed key/);
    expect(refusal(() => parseWebhookBody(Buffer.alloc(1024 * 1024 + 1, 'a'))).message).toMatch(/larger/);
  });

  it('accepts a body without any change as empty (nothing to process)', () => {
    const accepted = acceptAmocrmWebhook(delivery([['unsorted[add][0][uid]', 'x'], ...ACCOUNT]));
    expect(accepted).toMatchObject({ eventType: 'empty', keys: [] });
    expect(eventTypeOf([])).toBe('empty');
  });
});
