import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import AuditPage from './audit-page';

export default [
  { path: '', component: AuditPage, title: 'audit.title' satisfies TranslationKey },
] satisfies Routes;
