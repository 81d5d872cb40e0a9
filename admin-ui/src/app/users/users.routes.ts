import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import UsersPage from './users-page';

export default [
  { path: '', component: UsersPage, title: 'users.title' satisfies TranslationKey },
] satisfies Routes;
