import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import AlertsPage from './alerts-page';

export default [
  { path: '', component: AlertsPage, title: 'alerts.title' satisfies TranslationKey },
] satisfies Routes;
