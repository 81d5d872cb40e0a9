import { AmocrmApiError } from '../amocrm.problems';
import type { AmocrmRequest, AmocrmResponse } from './amocrm-request';
import { AmocrmUnsortedApi, type AmoUnsortedFormInput } from './amocrm-unsorted';

const form = (index: number): AmoUnsortedFormInput => ({
  source_uid: `lp-${index}`,
  source_name: 'LPTracker',
  metadata: { form_id: 'f', form_name: 'Заявка', form_page: 'site.ru', form_sent_at: 1 },
  _embedded: { leads: [{ name: `Лид ${index}` }], contacts: [{ name: 'Ирина' }] },
});

function fake(answer: (body: { request_id: string }[]) => unknown) {
  const bodies: { request_id: string }[][] = [];
  const api = new AmocrmUnsortedApi({
    request<T>(request: AmocrmRequest): Promise<AmocrmResponse<T>> {
      const body = request.body as { request_id: string }[];
      bodies.push(body);
      return Promise.resolve({ status: 200, data: answer(body) as T, amocrmRequestId: null });
    },
  });
  return { api, bodies };
}

const echoing = (body: { request_id: string }[]) => ({
  _embedded: {
    unsorted: [...body].reverse().map((item) => ({
      uid: `u${item.request_id}`,
      request_id: item.request_id,
      _embedded: { leads: [{ id: 1000 + Number(item.request_id) }], contacts: [{ id: 2000 }] },
    })),
  },
});

describe('AmocrmUnsortedApi', () => {
  it('creates incoming leads 50 per request, matched back by request_id in input order', async () => {
    const { api, bodies } = fake(echoing);
    const results = await api.createForms(Array.from({ length: 120 }, (_, index) => form(index)));
    expect(bodies.map((body) => body.length)).toEqual([50, 50, 20]);
    expect(results).toHaveLength(120);
    expect(results[7]).toEqual({ requestId: '7', uid: 'u7', leadId: 1007, contactId: 2000 });
    expect(results[119].leadId).toBe(1119);
  });

  it('takes the answer by position when amoCRM does not echo request_id', async () => {
    const { api } = fake((body) => ({
      _embedded: {
        unsorted: body.map((_, index) => ({ uid: `p${index}`, _embedded: { leads: [{ id: index + 1 }] } })),
      },
    }));
    const results = await api.createForms([form(0), form(1)]);
    expect(results.map((result) => [result.uid, result.leadId, result.contactId])).toEqual([
      ['p0', 1, null],
      ['p1', 2, null],
    ]);
  });

  it('an answer missing an item or a lead id is an error', async () => {
    await expect(
      fake(() => ({ _embedded: { unsorted: [] } })).api.createForms([form(0)]),
    ).rejects.toBeInstanceOf(AmocrmApiError);
    await expect(
      fake(() => ({ _embedded: { unsorted: [{ uid: 'x', _embedded: { leads: [] } }] } })).api.createForms([
        form(0),
      ]),
    ).rejects.toThrow('without a lead id');
  });
});
