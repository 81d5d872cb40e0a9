import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import LeadsPage from './leads-page';

export default [
  { path: '', component: LeadsPage, title: 'leads.title' satisfies TranslationKey },
] satisfies Routes;
