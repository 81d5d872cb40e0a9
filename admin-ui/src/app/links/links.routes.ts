import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import LinksPage from './links-page';

export default [
  { path: '', component: LinksPage, title: 'links.title' satisfies TranslationKey },
] satisfies Routes;
