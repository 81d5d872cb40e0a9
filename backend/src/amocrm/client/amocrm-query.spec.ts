import { encodeAmocrmQuery } from './amocrm-query';

describe('amoCRM query strings', () => {
  it('encodes scalars, nested filters and arrays the way amoCRM reads them', () => {
    expect(
      encodeAmocrmQuery({
        limit: 250,
        page: 2,
        query: '+7 916 123',
        with: 'leads,contacts',
        filter: {
          id: [1, 2],
          statuses: [{ pipeline_id: 10, status_id: 20 }],
          updated_at: { from: 1700000000 },
        },
        order: { updated_at: 'desc' },
      }),
    ).toBe(
      'limit=250&page=2&query=%2B7%20916%20123&with=leads%2Ccontacts&filter[id][]=1&filter[id][]=2' +
        '&filter[statuses][0][pipeline_id]=10&filter[statuses][0][status_id]=20&filter[updated_at][from]=1700000000' +
        '&order[updated_at]=desc',
    );
  });

  it('leaves out null and undefined, and writes booleans as 1/0', () => {
    expect(encodeAmocrmQuery({ a: null, b: undefined, c: true, d: false, e: { f: undefined } })).toBe(
      'c=1&d=0',
    );
  });

  it('percent-encodes keys but keeps their brackets', () => {
    expect(encodeAmocrmQuery({ 'filter[destination]': 'https://x.example/a?b=1&c' })).toBe(
      'filter[destination]=https%3A%2F%2Fx.example%2Fa%3Fb%3D1%26c',
    );
  });
});
