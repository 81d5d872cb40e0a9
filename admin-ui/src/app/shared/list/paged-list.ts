import {
  DestroyRef,
  type Signal,
  type WritableSignal,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import type { PageEvent } from '@angular/material/paginator';
import { type Params, Router } from '@angular/router';
import { type Observable, Subject, catchError, map, merge, of, switchMap } from 'rxjs';

import { describeHttpError } from '../../core/api/problem-details';
import { I18nService } from '../../core/i18n/i18n.service';
import { PAGE_SIZES, type Page } from '../page';

/** What a list asks the server for: the filters and the page (`page` from 1). */
export interface ListRequest<F> {
  filters: F;
  page: number;
  limit: number;
}

/** Keeps a list's filters in the address (`?status=failed`), so a link or back/forward restores them. */
export interface ListUrlSync<F> {
  /** The filters the address holds now (read the page's route inputs here: it is tracked). */
  read: () => F;
  /** The query parameters for the filters; `null` removes one. */
  write: (filters: F) => Params;
  /** Called when filters come from the address, to show them in the form fields. */
  adopted?: (filters: F) => void;
  /**
   * The page the address holds (`?page=3`, from 1; read the route input here), when the list keeps its page in
   * the address too: a reload or a shared link then opens the same page.
   */
  page?: () => number | null;
}

export interface PagedListOptions<T, F, P extends Page<T>> {
  /** Asks the server for one page. */
  load: (request: ListRequest<F>) => Observable<P>;
  /** The filters before the user chose any. */
  filters: F;
  /** Whether two filter values ask for the same rows (default: equal as JSON). */
  sameFilters?: (a: F, b: F) => boolean;
  url?: ListUrlSync<F>;
  /** Called with every page that arrives, before it is shown (`quiet`: a background refresh). */
  loaded?: (page: P, quiet: boolean, previous: P | null) => void;
}

interface ListQuery<F> extends ListRequest<F> {
  /** Bumped to load the same page again. */
  version: number;
}

/** A load the user asked for (progress bar; an error replaces the table) or a quiet refresh (keeps the rows). */
interface Load<F> {
  query: ListQuery<F>;
  quiet: boolean;
}
type Loaded<P> = { quiet: boolean } & ({ page: P } | { error: unknown });

/**
 * The state of a server-paged list page as signals: the filters, the page, the rows and the total,
 * whether a load is under way and why the last one failed. A new filter value goes back to the first
 * page; a newer request cancels an older one. Create it with {@link pagedList}.
 */
export class PagedList<T extends { readonly id: string }, F, P extends Page<T> = Page<T>> {
  private readonly query: WritableSignal<ListQuery<F>>;
  private readonly quietLoads = new Subject<void>();
  private readonly same: (a: F, b: F) => boolean;
  private readonly router = inject(Router);
  private readonly i18n = inject(I18nService);

  private readonly loadingState = signal(true);
  private readonly errorState = signal<unknown>(null);
  private readonly staleState = signal(false);
  private readonly resultState = signal<P | null>(null);

  readonly filters: Signal<F>;
  /** The page shown, from 1. */
  readonly page: Signal<number>;
  readonly limit: Signal<number>;
  readonly loading = this.loadingState.asReadonly();
  /** Why the last load the user asked for failed (`null`: it did not). */
  readonly error = this.errorState.asReadonly();
  /** The last quiet refresh failed: the rows shown are older than they look. */
  readonly stale = this.staleState.asReadonly();
  /** The last page received, with anything else the server sent along. */
  readonly result = this.resultState.asReadonly();
  readonly items = computed<readonly T[]>(() => this.resultState()?.items ?? []);
  readonly total = computed(() => this.resultState()?.total ?? 0);
  readonly errorMessage = computed(() => {
    const error = this.errorState();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor(private readonly options: PagedListOptions<T, F, P>) {
    this.same = options.sameFilters ?? ((a, b) => JSON.stringify(a) === JSON.stringify(b));
    this.query = signal<ListQuery<F>>({
      filters: options.filters,
      page: 1,
      limit: PAGE_SIZES[0] ?? 20,
      version: 0,
    });
    this.filters = computed(() => this.query().filters);
    this.page = computed(() => this.query().page);
    this.limit = computed(() => this.query().limit);

    const url = options.url;
    if (url) {
      // Before the first load, so that it already carries the address's filters.
      effect(() => {
        const filters = url.read();
        const page = url.page?.() ?? null;
        untracked(() => this.adopt(filters, page, url));
      });
    }
    const requested = toObservable(this.query).pipe(map((query): Load<F> => ({ query, quiet: false })));
    const quiet = this.quietLoads.pipe(map((): Load<F> => ({ query: this.query(), quiet: true })));
    merge(requested, quiet)
      .pipe(
        switchMap((load) => {
          if (!load.quiet) {
            this.loadingState.set(true);
          }
          const { filters, page, limit } = load.query;
          return options.load({ filters, page, limit }).pipe(
            map((result): Loaded<P> => ({ quiet: load.quiet, page: result })),
            catchError((error: unknown) => of<Loaded<P>>({ quiet: load.quiet, error })),
          );
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((loaded) => this.apply(loaded));
  }

  /** Changes some filters; a real change shows the first page (and goes into the address). */
  setFilters(changes: Partial<F>): void {
    const filters = { ...this.query().filters, ...changes };
    if (this.same(filters, this.query().filters)) {
      return;
    }
    this.query.update((query) => ({ ...query, filters, page: 1 }));
    const url = this.options.url;
    if (url) {
      void this.router.navigate([], {
        queryParams: { ...url.write(filters), ...(url.page ? { page: null } : {}) },
        queryParamsHandling: 'merge',
        replaceUrl: true,
      });
    }
  }

  /** The paginator's event: another page, or another page size (back to the first page). */
  setPage(event: PageEvent): void {
    this.query.update((query) => ({
      ...query,
      page: event.pageSize === query.limit ? event.pageIndex + 1 : 1,
      limit: event.pageSize,
    }));
    if (this.options.url?.page) {
      const page = this.query().page;
      void this.router.navigate([], {
        queryParams: { page: page > 1 ? page : null },
        queryParamsHandling: 'merge',
        replaceUrl: true,
      });
    }
  }

  /** Loads the page shown again (progress bar, errors shown). */
  reload(): void {
    this.query.update((query) => ({ ...query, version: query.version + 1 }));
  }

  /** Loads the first page again (after something new was added: it is listed first). */
  reloadFirstPage(): void {
    this.query.update((query) => ({ ...query, page: 1, version: query.version + 1 }));
  }

  /** Refreshes the rows in the background: no progress bar; a failure keeps the rows and marks them stale. */
  refreshQuietly(): void {
    this.quietLoads.next();
  }

  /** Shows a row changed elsewhere (a side sheet, a dialog) without asking the server. */
  replaceItem(item: T): void {
    this.updateItems((items) => items.map((row) => (row.id === item.id ? item : row)));
  }

  /** Adds a row created here (first or last; a row with the same id is replaced). */
  addItem(item: T, at: 'first' | 'last' = 'last'): void {
    this.updateItems((items) => {
      const others = items.filter((row) => row.id !== item.id);
      return at === 'first' ? [item, ...others] : [...others, item];
    });
  }

  removeItem(id: string): void {
    this.updateItems((items) => items.filter((row) => row.id !== id));
  }

  private updateItems(change: (items: T[]) => T[]): void {
    this.resultState.update((result) => {
      if (result === null) {
        return result;
      }
      const items = change(result.items);
      return { ...result, items, total: Math.max(0, result.total + items.length - result.items.length) };
    });
  }

  private adopt(filters: F, page: number | null, url: ListUrlSync<F>): void {
    const wanted = page !== null && Number.isInteger(page) && page > 0 ? page : 1;
    if (this.same(filters, this.query().filters)) {
      if (url.page && wanted !== this.query().page) {
        this.query.update((query) => ({ ...query, page: wanted }));
      }
      return;
    }
    this.query.update((query) => ({ ...query, filters, page: url.page ? wanted : 1 }));
    url.adopted?.(filters);
  }

  private apply(loaded: Loaded<P>): void {
    if ('page' in loaded) {
      this.options.loaded?.(loaded.page, loaded.quiet, this.resultState());
      this.resultState.set(loaded.page);
      this.errorState.set(null);
      this.staleState.set(false);
    } else if (loaded.quiet && this.resultState() !== null) {
      this.staleState.set(true);
    } else {
      this.errorState.set(loaded.error);
    }
    this.loadingState.set(false);
  }
}

/** A {@link PagedList} for the calling component (call it in an injection context: a field or constructor). */
export function pagedList<T extends { readonly id: string }, F, P extends Page<T> = Page<T>>(
  options: PagedListOptions<T, F, P>,
): PagedList<T, F, P> {
  return new PagedList<T, F, P>(options);
}

/** A list the server sends whole (users, API keys), as one page for {@link PagedList}. */
export function wholeList<T>(items: T[]): Page<T> {
  return { items, total: items.length, page: 1, limit: items.length };
}
