import type { MenuItem } from './core/navigation/menu-item';

/**
 * The side menu, in display order. A feature adds one line here (and a route in
 * `app.routes.ts`); `roles` hides the entry from other roles — guard the route as well.
 *
 * e.g. `{ id: 'users', path: '/users', labelKey: 'menu.users', icon: 'group', roles: ['admin'] }`
 */
export const APP_MENU: readonly MenuItem[] = [
  { id: 'dashboard', path: '/dashboard', labelKey: 'menu.dashboard', icon: 'dashboard' },
];
