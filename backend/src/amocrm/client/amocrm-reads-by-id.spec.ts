import type { AmocrmRequest, AmocrmResponse } from './amocrm-request';
import { encodeAmocrmQuery } from './amocrm-query';
import { AMOCRM_READ_BATCH_SIZE, idChunks, readByIds, type AmocrmRequester } from './amocrm-reads-by-id';

/** An account with leads 1..`existing`, answering list reads by `filter[id][]` as amoCRM does (204 when none). */
function fakeAccount(existing: number): AmocrmRequester & { sent: AmocrmRequest[] } {
  const sent: AmocrmRequest[] = [];
  return {
    sent,
    request<T>(request: AmocrmRequest): Promise<AmocrmResponse<T>> {
      sent.push(request);
      const filter = request.query?.filter as { id: number[] };
      const leads = filter.id.filter((id) => id <= existing).map((id) => ({ id, name: `lead ${id}` }));
      const data = leads.length === 0 ? null : { _embedded: { leads } };
      return Promise.resolve({ status: data ? 200 : 204, data: data as T | null, amocrmRequestId: null });
    },
  };
}

describe('reading amoCRM entities by id', () => {
  it('asks for 250 ids per request with filter[id][] and limit=250, not one GET per id', async () => {
    const ids = Array.from({ length: 600 }, (_, index) => index + 1);
    const account = fakeAccount(600);
    const found = await readByIds(account, '/api/v4/leads', 'leads', ids, ['contacts']);
    expect(found.size).toBe(600);
    expect(account.sent).toHaveLength(3);
    expect(account.sent.map((request) => (request.query?.filter as { id: number[] }).id.length)).toEqual([
      250, 250, 100,
    ]);
    expect(account.sent[0]).toMatchObject({
      method: 'GET',
      path: '/api/v4/leads',
      query: { limit: 250, with: 'contacts' },
    });
    expect(encodeAmocrmQuery(account.sent[2].query!)).toMatch(
      /^filter\[id\]\[\]=501&filter\[id\]\[\]=502&.*filter\[id\]\[\]=600&limit=250&with=contacts$/,
    );
  });

  it('leaves out what amoCRM does not answer (deleted), also a chunk answered 204', async () => {
    const account = fakeAccount(260);
    const ids = Array.from({ length: 501 }, (_, index) => index + 1);
    const found = await readByIds(account, '/api/v4/leads', 'leads', ids);
    expect([...found.keys()]).toEqual(Array.from({ length: 260 }, (_, index) => index + 1));
    expect(account.sent).toHaveLength(3);
    expect(account.sent[0].query).not.toHaveProperty('with');
  });

  it('reads each id once and nothing at all for no ids', async () => {
    expect(idChunks([5, 5, 7, 0, -1, 1.5, 7])).toEqual([[5, 7]]);
    expect(idChunks([])).toEqual([]);
    const many = Array.from({ length: AMOCRM_READ_BATCH_SIZE * 2 + 1 }, (_, index) => index + 1);
    expect(idChunks([...many, ...many]).map((part) => part.length)).toEqual([250, 250, 1]);
    const account = fakeAccount(10);
    expect((await readByIds(account, '/api/v4/leads', 'leads', [])).size).toBe(0);
    expect(account.sent).toEqual([]);
  });
});
