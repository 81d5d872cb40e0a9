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
    });
    expect(filtersFromUrl({ status: 'broken', source: 'Bad Source!' })).toEqual(NO_FILTERS);
  });
});
