import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { provideCharts } from '../shared/charts/provide-charts';
import DashboardPage from './dashboard-page';

export default [
  {
    path: '',
    component: DashboardPage,
    title: 'dashboard.title' satisfies TranslationKey,
    // the chart library is loaded with this route only, and only its parts the charts use
    providers: [provideCharts()],
  },
] satisfies Routes;
