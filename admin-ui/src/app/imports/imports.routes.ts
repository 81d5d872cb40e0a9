import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import ImportsPage from './imports-page';

export default [
  { path: '', component: ImportsPage, title: 'imports.title' satisfies TranslationKey },
  { path: ':id', component: ImportsPage, title: 'imports.title' satisfies TranslationKey },
] satisfies Routes;
