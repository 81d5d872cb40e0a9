import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import type { Page } from '../page';
import { type ListRequest, type PagedList, pagedList, wholeList } from './paged-list';

interface Row {
  id: string;
  name: string;
}
interface Filters {
  search: string;
  status: string | null;
}

/** Every request the list made, answered by the test. */
const requests: { request: ListRequest<Filters>; answer: Subject<Page<Row>> }[] = [];
/** What the address holds (`?search=`), for the lists that keep their filters there. */
const urlSearch = signal('');
const NO_FILTERS: Filters = { search: '', status: null };

/** The server: every request waits for the test to answer it. */
function fakeLoad(request: ListRequest<Filters>): Subject<Page<Row>> {
  const answer = new Subject<Page<Row>>();
  requests.push({ request, answer });
  return answer;
}

@Component({ selector: 'app-plain-host', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class PlainHost {
  readonly list = pagedList<Row, Filters>({
    filters: NO_FILTERS,
    load: fakeLoad,
  });
}

@Component({ selector: 'app-url-host', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class UrlHost {
  readonly adopted: Filters[] = [];
  readonly list = pagedList<Row, Filters>({
    filters: NO_FILTERS,
    load: fakeLoad,
    url: {
      read: () => ({ search: urlSearch(), status: null }),
      write: (filters) => ({ search: filters.search || null }),
      adopted: (filters) => this.adopted.push(filters),
    },
  });
}

function rows(...names: string[]): Row[] {
  return names.map((name) => ({ id: `id-${name}`, name }));
}

function page(items: Row[], total = items.length, number = 1): Page<Row> {
  return { items, total, page: number, limit: 20 };
}

function last(): { request: ListRequest<Filters>; answer: Subject<Page<Row>> } {
  const request = requests.at(-1);
  if (!request) {
    throw new Error('no request made');
  }
  return request;
}

describe('pagedList', () => {
  let fixture: ComponentFixture<PlainHost>;
  let list: PagedList<Row, Filters>;

  beforeEach(async () => {
    requests.length = 0;
    urlSearch.set('');
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    fixture = TestBed.createComponent(PlainHost);
    list = fixture.componentInstance.list;
    await fixture.whenStable();
  });

  it('loads the first page with the initial filters and shows its rows and total', () => {
    expect(requests.map((r) => r.request)).toEqual([
      { filters: { search: '', status: null }, page: 1, limit: 20 },
    ]);
    expect(list.loading()).toBe(true);

    last().answer.next(page(rows('Иван', 'Ольга'), 42));
    expect(list.loading()).toBe(false);
    expect(list.items().map((row) => row.name)).toEqual(['Иван', 'Ольга']);
    expect(list.total()).toBe(42);
  });

  it('goes back to the first page when a filter really changes, and asks nothing when it does not', async () => {
    last().answer.next(page(rows('a'), 100));
    list.setPage({ pageIndex: 2, pageSize: 20, length: 100 });
    await fixture.whenStable();
    expect(last().request.page).toBe(3);

    list.setFilters({ status: 'failed' });
    await fixture.whenStable();
    expect(last().request).toEqual({ filters: { search: '', status: 'failed' }, page: 1, limit: 20 });

    const count = requests.length;
    list.setFilters({ status: 'failed' });
    await fixture.whenStable();
    expect(requests.length).toBe(count);
  });

  it('shows the first page when the page size changes', async () => {
    list.setPage({ pageIndex: 1, pageSize: 20, length: 100 });
    await fixture.whenStable();
    expect(last().request).toMatchObject({ page: 2, limit: 20 });

    list.setPage({ pageIndex: 1, pageSize: 50, length: 100 });
    await fixture.whenStable();
    expect(last().request).toMatchObject({ page: 1, limit: 50 });
    expect(list.limit()).toBe(50);
  });

  it('never shows the answer of a request a newer one replaced', async () => {
    const first = last();
    list.setFilters({ search: 'Ив' });
    await fixture.whenStable();
    const second = last();

    second.answer.next(page(rows('Иван')));
    first.answer.next(page(rows('старый')));
    expect(list.items().map((row) => row.name)).toEqual(['Иван']);
    expect(list.filters().search).toBe('Ив');
  });

  it('explains a failed load and recovers on reload', async () => {
    last().answer.error(new HttpErrorResponse({ status: 0 }));
    expect(list.loading()).toBe(false);
    expect(list.errorMessage()).toEqual(expect.any(String));
    expect(list.errorMessage()).not.toBe('');
    expect(list.items()).toEqual([]);

    list.reload();
    await fixture.whenStable();
    expect(requests).toHaveLength(2);
    expect(list.loading()).toBe(true);
    last().answer.next(page(rows('Иван')));
    expect(list.errorMessage()).toBeNull();
    expect(list.items()).toHaveLength(1);
  });

  it('keeps the rows of a failed quiet refresh and marks them stale', () => {
    last().answer.next(page(rows('Иван')));
    list.refreshQuietly();
    expect(list.loading()).toBe(false);
    last().answer.error(new HttpErrorResponse({ status: 503 }));

    expect(list.stale()).toBe(true);
    expect(list.errorMessage()).toBeNull();
    expect(list.items().map((row) => row.name)).toEqual(['Иван']);

    list.refreshQuietly();
    last().answer.next(page(rows('Иван', 'Ольга')));
    expect(list.stale()).toBe(false);
    expect(list.items()).toHaveLength(2);
  });

  it('shows rows changed, added or removed elsewhere without asking the server', () => {
    last().answer.next(page(rows('a', 'b'), 2));
    const count = requests.length;

    list.replaceItem({ id: 'id-a', name: 'A' });
    list.addItem({ id: 'id-c', name: 'c' }, 'first');
    list.removeItem('id-b');

    expect(list.items().map((row) => row.name)).toEqual(['c', 'A']);
    expect(list.total()).toBe(2);
    expect(requests.length).toBe(count);
  });

  it('wraps a list the server sends whole as one page', () => {
    expect(wholeList(rows('a', 'b'))).toEqual({ items: rows('a', 'b'), total: 2, page: 1, limit: 2 });
  });
});

describe('pagedList with its filters in the address', () => {
  beforeEach(() => {
    requests.length = 0;
    urlSearch.set('');
  });

  it('asks for the filters of the address from the first request on, and follows the address', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    urlSearch.set('Иван');
    const fixture = TestBed.createComponent(UrlHost);
    await fixture.whenStable();

    expect(requests.map((r) => r.request.filters.search)).toEqual(['Иван']);
    expect(fixture.componentInstance.adopted).toEqual([{ search: 'Иван', status: null }]);

    urlSearch.set('Ольга');
    await fixture.whenStable();
    expect(last().request).toEqual({ filters: { search: 'Ольга', status: null }, page: 1, limit: 20 });
  });

  it('writes a filter the user chose into the address', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(UrlHost);
    await fixture.whenStable();

    fixture.componentInstance.list.setFilters({ search: 'Иван' });
    expect(navigate).toHaveBeenCalledWith([], {
      queryParams: { search: 'Иван' },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  });
});
