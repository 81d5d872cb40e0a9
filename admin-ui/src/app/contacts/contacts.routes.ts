import type { Routes } from '@angular/router';

import type { TranslationKey } from '../core/i18n/i18n.types';
import ContactsPage from './contacts-page';

export default [
  { path: '', component: ContactsPage, title: 'contacts.title' satisfies TranslationKey },
] satisfies Routes;
