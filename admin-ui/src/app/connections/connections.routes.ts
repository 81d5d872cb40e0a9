import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import AmocrmPage from './amocrm-page';
import LptrackerPage from './lptracker-page';

export default [
  { path: '', pathMatch: 'full', redirectTo: 'amocrm' },
  { path: 'amocrm', component: AmocrmPage, title: 'amocrm.title' satisfies TranslationKey },
  { path: 'lptracker', component: LptrackerPage, title: 'lptracker.title' satisfies TranslationKey },
] satisfies Routes;
