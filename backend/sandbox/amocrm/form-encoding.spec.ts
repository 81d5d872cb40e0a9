import { parseAmocrmWebhookForm } from '../../src/amocrm/webhooks';
import { encodeForm, flattenForm, type FormValue } from './form-encoding';

describe('legacy webhook form encoding', () => {
  it('flattens nested objects and arrays into PHP-style bracketed keys in order', () => {
    expect(
      flattenForm({
        leads: {
          status: [{ id: 1, custom_fields: [{ id: 7, values: [1542067200] }], flag: true, none: null }],
        },
        account: { subdomain: 'demo', _links: { self: 'http://x/demo' } },
      }),
    ).toEqual([
      ['leads[status][0][id]', '1'],
      ['leads[status][0][custom_fields][0][id]', '7'],
      ['leads[status][0][custom_fields][0][values][0]', '1542067200'],
      ['leads[status][0][flag]', '1'],
      ['leads[status][0][none]', ''],
      ['account[subdomain]', 'demo'],
      ['account[_links][self]', 'http://x/demo'],
    ]);
  });

  it('percent-encodes brackets and Cyrillic, with + for spaces', () => {
    expect(encodeForm({ contacts: { add: [{ name: 'Иван Петров' }] } })).toBe(
      'contacts%5Badd%5D%5B0%5D%5Bname%5D=%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2',
    );
  });

  it("is read back by the service's own parser as the same data (values as strings)", () => {
    const payload: { [key: string]: FormValue } = {
      leads: {
        status: [
          {
            id: 1,
            name: 'Иван & Co = 100% +1',
            custom_fields: [{ id: 7, values: [{ value: 'a b', enum: 3 }] }],
          },
          { id: 2, linked_leads_id: { 15: { ID: 15 } }, flag: false, none: null },
        ],
      },
      account: { subdomain: 'demo', _links: { self: 'http://x/demo' } },
    };
    expect(JSON.parse(JSON.stringify(parseAmocrmWebhookForm(encodeForm(payload))))).toEqual({
      leads: {
        status: [
          {
            id: '1',
            name: 'Иван & Co = 100% +1',
            custom_fields: [{ id: '7', values: [{ value: 'a b', enum: '3' }] }],
          },
          { id: '2', linked_leads_id: { 15: { ID: '15' } }, flag: '0', none: '' },
        ],
      },
      account: { subdomain: 'demo', _links: { self: 'http://x/demo' } },
    });
  });
});
