import {
  ChangeDetectionStrategy,
  Component,
  InjectionToken,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSort, MatSortHeader } from '@angular/material/sort';
import {
  MatCell,
  MatCellDef,
  MatColumnDef,
  MatHeaderCell,
  MatHeaderCellDef,
  MatHeaderRow,
  MatHeaderRowDef,
  MatNoDataRow,
  MatRow,
  MatRowDef,
  MatTable,
} from '@angular/material/table';
import { RouterLink } from '@angular/router';

import { problemFieldErrors } from '../core/api/field-errors';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { pagedList } from '../shared/list/paged-list';
import {
  type ServerSort,
  sameSort,
  serverSortOf,
  sortFromUrl,
  sortParams,
  sortToUrl,
} from '../shared/list/server-sort';
import { SearchBox } from '../shared/list/search-box';
import { PAGE_SIZES, queryText } from '../shared/page';
import { PhonePipe } from '../shared/phone.pipe';
import { SearchField } from '../shared/search-field';
import { LinksApi } from './links-api';
import { LINK_SEARCH_KINDS, type LeadLink, type LinkSearchKind } from './links.models';

/** Typing pauses this long before the search is sent (0 in tests). */
export const LINKS_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('LINKS_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

interface LinkFilters {
  kind: LinkSearchKind;
  /** Trimmed; '' shows every link. */
  text: string;
  /** The order chosen by a column header (newest first when null). */
  sort: ServerSort | null;
}
/** The columns the server sorts the links by (`?sort=`), by their API names. */
const SORTS = ['lptrackerLeadId', 'amocrmLeadId', 'contactName', 'createdAt', 'lastSyncedAt'] as const;

const COLUMNS = ['lptracker', 'amocrm', 'contact', 'created', 'lastSync'] as const;

function isKind(value: string): value is LinkSearchKind {
  return (LINK_SEARCH_KINDS as readonly string[]).includes(value);
}

/** An id search must be a number; a phone search anything (the server normalises it). */
function searchable(filters: Pick<LinkFilters, 'kind' | 'text'>): boolean {
  return filters.kind === 'phone' || filters.text === '' || /^\d{1,15}$/.test(filters.text);
}

/**
 * `/links`: every LPTracker lead and the amoCRM lead made for it, with both stages, the contact, how
 * the amoCRM lead was created and the last sync. Searched by a phone or either lead number
 * (`?phone=…`, `?lptrackerLeadId=…`, `?amocrmLeadId=…`); paged by the server.
 */
@Component({
  selector: 'app-links-page',
  imports: [
    RouterLink,
    MatTable,
    MatColumnDef,
    MatHeaderCell,
    MatHeaderCellDef,
    MatCell,
    MatCellDef,
    MatHeaderRow,
    MatHeaderRowDef,
    MatRow,
    MatRowDef,
    MatNoDataRow,
    MatPaginator,
    MatProgressBar,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatSort,
    MatSortHeader,
    MatButton,
    LocalDatePipe,
    PhonePipe,
    PageHeader,
    TranslatePipe,
    SearchField,
  ],
  templateUrl: './links-page.html',
  styleUrl: './links-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class LinksPage {
  private readonly api = inject(LinksApi);
  private readonly i18n = inject(I18nService);

  readonly phone = input<string>();
  readonly lptrackerLeadId = input<string>();
  readonly amocrmLeadId = input<string>();
  /** `?sort=<column>&order=asc|desc`: the order chosen by a column header. */
  readonly sort = input<string>();
  readonly order = input<string>();

  protected readonly kinds = LINK_SEARCH_KINDS;
  protected readonly columns = COLUMNS;
  protected readonly pageSizes = PAGE_SIZES;
  /** The kind chosen in the select (the list's filter changes only once something is typed). */
  protected readonly kind = signal<LinkSearchKind>('phone');
  protected readonly list = pagedList<LeadLink, LinkFilters>({
    filters: { kind: 'phone', text: '', sort: null },
    load: ({ filters, page, limit }) =>
      this.api.list({ [filters.kind]: queryText(filters.text), ...sortParams(filters.sort), page, limit }),
    // With nothing typed, the kind of search does not matter.
    sameFilters: (a, b) =>
      sameSort(a.sort, b.sort) &&
      ((a.text === '' && b.text === '') || (a.kind === b.kind && a.text === b.text)),
    url: {
      read: () => {
        const sort = sortFromUrl(this.sort(), this.order(), SORTS);
        for (const kind of LINK_SEARCH_KINDS) {
          const value = queryText(this[kind]());
          if (value !== null) {
            return { kind, text: value, sort };
          }
        }
        return { kind: 'phone', text: '', sort };
      },
      write: (filters) => ({
        ...Object.fromEntries(
          LINK_SEARCH_KINDS.map((kind) => [
            kind,
            kind === filters.kind && filters.text !== '' ? filters.text : null,
          ]),
        ),
        ...sortToUrl(filters.sort),
      }),
      adopted: (filters) => {
        if (filters.text !== '') {
          this.kind.set(filters.kind);
        }
        this.search.show(filters.text);
      },
    },
  });
  protected readonly search = new SearchBox(inject(LINKS_SEARCH_DEBOUNCE_MS), (text) => this.apply(text));
  protected readonly serverSortOf = serverSortOf;
  protected readonly filtered = computed(() => this.list.filters().text !== '');
  /** An id search with something that is not a number: nothing is sent, the field says why. */
  protected readonly notANumber = computed(
    () => !searchable({ kind: this.kind(), text: this.search.text().trim() }),
  );

  protected setKind(kind: string): void {
    if (isKind(kind)) {
      this.kind.set(kind);
      this.apply(this.search.text().trim());
    }
  }

  /** Searches for `text` by the chosen kind; an id that is not a number is not sent (the field says why). */
  private apply(text: string): void {
    const filters = { kind: this.kind(), text };
    if (searchable(filters) || text === '') {
      this.list.setFilters(filters);
    }
  }

  /** The server could not read the phone searched for: said under the field, not instead of the table. */
  protected readonly phoneRefused = computed(() => {
    const error = this.list.error();
    return error !== null && problemFieldErrors(error).some((fieldError) => fieldError.field === 'phone');
  });

  protected stageName(link: LeadLink): string | null {
    const stage = link.lptrackerStage;
    return stage ? (stage.name ?? `#${stage.id}`) : null;
  }

  protected statusName(link: LeadLink): string | null {
    const status = link.amocrmStatus;
    if (!status) {
      return null;
    }
    return `${status.pipelineName ?? `#${status.pipelineId}`} · ${status.statusName ?? `#${status.statusId}`}`;
  }

  /** How the amoCRM lead was made, in words (an unknown value as it came). */
  protected createdAs(link: LeadLink): string {
    return link.createdAs === 'lead' || link.createdAs === 'unsorted'
      ? this.i18n.t(`links.createdAs.${link.createdAs}`)
      : link.createdAs;
  }

  protected direction(link: LeadLink): string {
    return link.lastDirection ? this.i18n.t(`links.directions.${link.lastDirection}`) : '';
  }

  protected clear(): void {
    this.search.clear();
    this.list.setFilters({ text: '' });
  }
}
