import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import EventsPage from './events-page';

export default [
  { path: '', component: EventsPage, title: 'events.title' satisfies TranslationKey },
] satisfies Routes;
