import { NO_FILTERS, filterParams, filtersFromUrl, filtersToUrl, listParams } from './event-filters';

describe('event filters', () => {
  it('turns the chosen filters into query parameters: whole local days, blanks left out', () => {
    const params = listParams(
      {
        source: 'amocrm',
        status: 'failed',
        type: 'leads.status',
        start: new Date(2026, 10, 1),
        end: new Date(2026, 10, 3),
        search: ' 31415926 ',
        sort: null,
      },
      2,
      50,
    );
    expect(params).toEqual({
      source: 'amocrm',
      status: 'failed',
      type: 'leads.status',
      from: new Date(2026, 10, 1, 0, 0, 0, 0).toISOString(),
      to: new Date(2026, 10, 3, 23, 59, 59, 999).toISOString(),
      search: '31415926',
      page: 2,
      limit: 50,
    });
    expect(filterParams(NO_FILTERS)).toEqual({});
  });

  it('reads and writes the filters of a shareable URL, ignoring values the API would refuse', () => {
    const filters = filtersFromUrl({
      status: 'failed',
      source: 'amocrm',
      from: '2026-11-01',
      to: '2026-13-01',
    });
    expect(filters).toEqual({
      ...NO_FILTERS,
      status: 'failed',
      source: 'amocrm',
      start: new Date(2026, 10, 1),
    });
    expect(filtersToUrl(filters)).toEqual({
      source: 'amocrm',
      status: 'failed',
      type: null,
      from: '2026-11-01',
      to: null,
      search: null,
      sort: null,
      order: null,
    });
    expect(filtersFromUrl({ status: 'broken', source: 'Bad Source!' })).toEqual(NO_FILTERS);
  });

  it('keeps a column order in the URL and the request, only for columns the server sorts by', () => {
    const sorted = filtersFromUrl({ sort: 'status', order: 'desc' });
    expect(sorted.sort).toEqual({ field: 'status', order: 'desc' });
    expect(filtersToUrl(sorted)).toMatchObject({ sort: 'status', order: 'desc' });
    expect(listParams(sorted, 1, 20)).toEqual({ sort: 'status', order: 'desc', page: 1, limit: 20 });
    expect(filtersFromUrl({ sort: 'status' }).sort).toEqual({ field: 'status', order: 'asc' });
    expect(filtersFromUrl({ sort: 'lastError', order: 'desc' }).sort).toBeNull();
    expect(listParams(NO_FILTERS, 1, 20)).toEqual({ page: 1, limit: 20 });
  });
});
