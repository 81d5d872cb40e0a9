import { chunk, matchByRequestId, withRequestIds } from './amocrm-batches';

describe('amoCRM batch writes', () => {
  it('splits 120 entities into 50 + 50 + 20', () => {
    expect(chunk(Array.from({ length: 120 }, (_, i) => i)).map((part) => part.length)).toEqual([50, 50, 20]);
    expect(chunk([])).toEqual([]);
  });

  it('numbers entities by their place in the call, keeping request ids the caller chose', () => {
    expect(
      withRequestIds([{ name: 'a' }, { name: 'b', request_id: 'mine' }, { name: 'c' }]).map(
        (item) => item.request_id,
      ),
    ).toEqual(['0', 'mine', '2']);
    expect(() => withRequestIds([{ request_id: '1' }, {}])).toThrow(/used twice/);
  });

  it('matches answers by request_id whatever their order, including leads/complex lists', () => {
    const { matched, missing } = matchByRequestId(
      ['0', '1', '2'],
      [
        { id: 12, request_id: '1' },
        { id: 10, request_id: ['0'] },
      ],
    );
    expect(matched.get('0')?.id).toBe(10);
    expect(matched.get('1')?.id).toBe(12);
    expect(missing).toEqual(['2']);
  });
});
