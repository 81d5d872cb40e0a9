import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import ApiKeysPage from './api-keys-page';

export default [
  { path: '', component: ApiKeysPage, title: 'apiKeys.title' satisfies TranslationKey },
] satisfies Routes;
