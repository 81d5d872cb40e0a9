import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import WorkspacesPage from './workspaces-page';

export default [
  { path: '', component: WorkspacesPage, title: 'workspaces.title' satisfies TranslationKey },
] satisfies Routes;
