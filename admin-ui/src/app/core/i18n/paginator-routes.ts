import type { Routes } from '@angular/router';
import { MatPaginatorIntl } from '@angular/material/paginator';

import { I18nPaginatorIntl } from './i18n-paginator-intl';

/**
 * The console's routes with the translated paginator labels provided to every page under them.
 * Loaded lazily by the root router config: the paginator (and the select, overlay, tooltip and
 * buttons it imports) then stays out of the first download, which only needs the login or shell.
 */
export function withTranslatedPaginator(routes: Routes): Routes {
  return [
    {
      path: '',
      providers: [{ provide: MatPaginatorIntl, useClass: I18nPaginatorIntl }],
      children: routes,
    },
  ];
}
