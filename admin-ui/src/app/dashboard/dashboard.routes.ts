import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import DashboardPage from './dashboard-page';

export default [
  { path: '', component: DashboardPage, title: 'dashboard.title' satisfies TranslationKey },
] satisfies Routes;
