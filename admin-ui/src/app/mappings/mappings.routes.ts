import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import MappingsPage from './mappings-page';

export default [
  { path: '', component: MappingsPage, title: 'mappings.title' satisfies TranslationKey },
] satisfies Routes;
