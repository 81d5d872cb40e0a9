import { matchesFuzzyQuery } from './fuzzy-search';
import { parseNestedQuery, queryList } from './nested-query';

describe('query parsing and fuzzy search', () => {
  it('parses PHP-style nested query keys and drops prototype keys', () => {
    const query = parseNestedQuery(
      new URLSearchParams(
        'filter[id][]=1&filter[id][]=2&filter[statuses][0][status_id]=142&__proto__[x]=1&filter[constructor]=y&with=leads',
      ),
    );
    expect(queryList(query.filter && typeof query.filter === 'object' ? query.filter.id : undefined)).toEqual(
      ['1', '2'],
    );
    expect(JSON.parse(JSON.stringify(query))).toEqual({
      filter: { id: { 0: '1', 1: '2' }, statuses: { 0: { status_id: '142' } } },
      with: 'leads',
    });
    expect(Object.getPrototypeOf(query)).toBeNull();
  });

  it('matches digits-only forms for phone-like queries, including false positives', () => {
    const stored = ['+79161234567', '89161234567', '+7 (916) 123-45-67', '+791612345678', '+79031234567'];
    expect(stored.filter((phone) => matchesFuzzyQuery('9161234567', [phone]))).toEqual(stored.slice(0, 4));
    expect(matchesFuzzyQuery('петров', ['Иван Петров'])).toBe(true);
    expect(matchesFuzzyQuery('Сидоров', ['Иван Петров'])).toBe(false);
  });
});
