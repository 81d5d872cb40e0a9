import type { Routes } from '@angular/router';

import { authGuard, guestGuard, roleGuard, superAdminGuard } from './core/auth/auth.guards';
import type { TranslationKey } from './core/i18n/i18n.types';

/** Route titles are translation keys (see `I18nTitleStrategy`). */
const title = (key: TranslationKey): string => key;

/**
 * Every feature is a lazy-loaded folder. To add one:
 * `{ path: 'contacts', loadChildren: () => import('./contacts/contacts.routes') }`
 * inside the shell's `children` (add `canActivate: [roleGuard(['admin'])]` for admin-only pages),
 * then an entry in `app.menu.ts`.
 */
export const routes: Routes = [
  {
    path: 'login',
    title: title('login.title'),
    canActivate: [guestGuard],
    loadComponent: () => import('./login/login-page'),
  },
  {
    path: '',
    loadComponent: () => import('./shell/shell'),
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      { path: 'dashboard', loadChildren: () => import('./dashboard/dashboard.routes') },
      { path: 'contacts', loadChildren: () => import('./contacts/contacts.routes') },
      { path: 'leads', loadChildren: () => import('./leads/leads.routes') },
      { path: 'events', loadChildren: () => import('./events/events.routes') },
      { path: 'connections', loadChildren: () => import('./connections/connections.routes') },
      { path: 'mappings', loadChildren: () => import('./mappings/mappings.routes') },
      { path: 'rules', loadChildren: () => import('./rules/rules.routes') },
      { path: 'links', loadChildren: () => import('./links/links.routes') },
      { path: 'imports', loadChildren: () => import('./imports/imports.routes') },
      { path: 'call-results', loadChildren: () => import('./call-results/call-results.routes') },
      { path: 'alerts', loadChildren: () => import('./alerts/alerts.routes') },
      {
        path: 'users',
        canActivate: [roleGuard(['admin'])],
        loadChildren: () => import('./users/users.routes'),
      },
      {
        path: 'api-keys',
        canActivate: [roleGuard(['admin'])],
        loadChildren: () => import('./api-keys/api-keys.routes'),
      },
      {
        path: 'audit',
        canActivate: [roleGuard(['admin'])],
        loadChildren: () => import('./audit/audit.routes'),
      },
      {
        path: 'workspaces',
        canActivate: [superAdminGuard],
        loadChildren: () => import('./workspaces/workspaces.routes'),
      },
      {
        path: 'forbidden',
        title: title('forbidden.title'),
        loadComponent: () => import('./not-found/not-found-page'),
        data: { kind: 'forbidden' },
      },
      {
        path: '**',
        title: title('notFound.title'),
        loadComponent: () => import('./not-found/not-found-page'),
      },
    ],
  },
];
