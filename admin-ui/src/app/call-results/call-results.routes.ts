import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { provideCharts } from '../shared/charts/provide-charts';
import CallResultsPage from './call-results-page';

export default [
  {
    path: '',
    component: CallResultsPage,
    title: 'callResults.title' satisfies TranslationKey,
    providers: [provideCharts()],
  },
] satisfies Routes;
