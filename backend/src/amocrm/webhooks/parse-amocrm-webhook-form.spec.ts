import { parseAmocrmWebhookForm } from './parse-amocrm-webhook-form';
import { FormParseError } from '../../http/nested-form';

/** Builds a body the way amoCRM sends it: bracketed keys, percent-encoded. */
function form(pairs: [string, string][]): string {
  return new URLSearchParams(pairs).toString();
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof FormParseError) return error.code;
    throw error;
  }
  return undefined;
}

describe('parseAmocrmWebhookForm', () => {
  it('parses a status change with several entities, gaps in indexes and a bare scalar value', () => {
    const body = form([
      ['leads[status][0][id]', '18000001'],
      ['leads[status][0][status_id]', '142'],
      ['leads[status][0][old_status_id]', '61000002'],
      ['leads[status][0][custom_fields][0][id]', '970008'],
      ['leads[status][0][custom_fields][0][values][0][value]', 'Яндекс.Директ'],
      ['leads[status][0][custom_fields][0][values][0][enum]', '1440015'],
      ['leads[status][0][custom_fields][2][id]', '970010'],
      ['leads[status][0][custom_fields][2][values][0]', '1542067200'],
      ['leads[status][1][id]', '18000002'],
      ['leads[status][1][status_id]', '143'],
      ['account[subdomain]', 'demo'],
      ['account[id]', '31000001'],
      ['account[_links][self]', 'https://demo.amocrm.ru'],
    ]);
    const payload = parseAmocrmWebhookForm(Buffer.from(body));
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      leads: {
        status: [
          {
            id: '18000001',
            status_id: '142',
            old_status_id: '61000002',
            custom_fields: [
              { id: '970008', values: [{ value: 'Яндекс.Директ', enum: '1440015' }] },
              { id: '970010', values: ['1542067200'] },
            ],
          },
          { id: '18000002', status_id: '143' },
        ],
      },
      account: { subdomain: 'demo', id: '31000001', _links: { self: 'https://demo.amocrm.ru' } },
    });
  });

  it('orders index-keyed items by index, whatever order they came in, without holes', () => {
    const payload = parseAmocrmWebhookForm('a[5]=five&a[0]=zero&a[12]=twelve');
    expect(payload.a).toEqual(['zero', 'five', 'twelve']);
    const huge = parseAmocrmWebhookForm('a[999999999]=x');
    expect(huge.a).toEqual(['x']);
  });

  it('keeps linked_leads_id keyed by lead id', () => {
    const payload = parseAmocrmWebhookForm(
      form([
        ['contacts[update][0][id]', '22000001'],
        ['contacts[update][0][linked_leads_id][18000001][ID]', '18000001'],
        ['contacts[update][0][linked_leads_id][18000007][ID]', '18000007'],
      ]),
    );
    const contact = (payload.contacts as any).update[0];
    expect(Array.isArray(contact.linked_leads_id)).toBe(false);
    expect(JSON.parse(JSON.stringify(contact.linked_leads_id))).toEqual({
      '18000001': { ID: '18000001' },
      '18000007': { ID: '18000007' },
    });
  });

  it('decodes + as space, percent-encoding, and keeps = & + inside values', () => {
    const payload = parseAmocrmWebhookForm(
      'a[name]=%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F.&a[note]=a%2Bb%3Dc%26d&a[bad]=100%&a[empty]=&a[flag]',
    );
    expect({ ...(payload.a as object) }).toEqual({
      name: 'Иван П.',
      note: 'a+b=c&d',
      bad: '100%',
      empty: '',
      flag: '',
    });
  });

  it('builds objects without a prototype', () => {
    const payload = parseAmocrmWebhookForm('account[id]=1&account[toString]=x');
    expect(Object.getPrototypeOf(payload)).toBeNull();
    expect(Object.getPrototypeOf(payload.account)).toBeNull();
    expect((payload.account as Record<string, unknown>).toString).toBe('x');
  });

  it.each([
    '__proto__[polluted]=1',
    'leads[__proto__][polluted]=1',
    'leads[add][0][constructor][prototype][polluted]=1',
    'a[prototype]=1',
    '%5F%5Fproto%5F%5F[x]=1',
    'leads[add][0][__proto__]=1',
  ])('refuses the prototype key in %s', (body) => {
    expect(codeOf(() => parseAmocrmWebhookForm(body))).toBe('forbidden_key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses too many keys, too deep keys, too long keys and oversized bodies', () => {
    const many = Array.from({ length: 5001 }, (_, i) => `k${i}=1`).join('&');
    expect(codeOf(() => parseAmocrmWebhookForm(many))).toBe('too_many_keys');
    expect(parseAmocrmWebhookForm(Array.from({ length: 5000 }, (_, i) => `k${i}=1`).join('&')).k4999).toBe(
      '1',
    );
    expect(codeOf(() => parseAmocrmWebhookForm('a[b][c][d][e][f][g][h][i]=1'))).toBe('too_deep');
    expect(parseAmocrmWebhookForm('leads[status][0][custom_fields][0][values][0][value]=1')).toBeDefined();
    expect(codeOf(() => parseAmocrmWebhookForm(`${'k'.repeat(600)}=1`))).toBe('key_too_long');
    expect(codeOf(() => parseAmocrmWebhookForm(Buffer.alloc(1024 * 1024 + 1, 'a')))).toBe('too_large');
  });

  it('refuses malformed keys and a key used both as a value and as a group', () => {
    expect(codeOf(() => parseAmocrmWebhookForm('leads[add=1'))).toBe('malformed_key');
    expect(codeOf(() => parseAmocrmWebhookForm('[add]=1'))).toBe('malformed_key');
    for (const key of ['a]', 'a[b]c', 'a[b[c]', 'a[b]]', 'a[b][c', 'a[]x[]'])
      expect(codeOf(() => parseAmocrmWebhookForm(`${key}=1`))).toBe('malformed_key');
    expect(codeOf(() => parseAmocrmWebhookForm('a=1&a[b]=2'))).toBe('conflicting_keys');
    expect(codeOf(() => parseAmocrmWebhookForm('a[b]=2&a=1'))).toBe('conflicting_keys');
  });

  it('appends for empty brackets and lets a repeated scalar key win last', () => {
    expect(parseAmocrmWebhookForm('tags[]=a&tags[]=b').tags).toEqual(['a', 'b']);
    expect(parseAmocrmWebhookForm('x=1&x=2').x).toBe('2');
    expect(Object.keys(parseAmocrmWebhookForm(''))).toEqual([]);
  });
});
