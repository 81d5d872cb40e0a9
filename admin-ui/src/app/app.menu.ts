import type { MenuItem } from './core/navigation/menu-item';

/**
 * The side menu, in display order. A feature adds one line here (and a route in
 * `app.routes.ts`); `roles` hides the entry from other roles — guard the route as well.
 *
 * e.g. `{ id: 'users', path: '/users', labelKey: 'menu.users', icon: 'group', roles: ['admin'] }`
 */
export const APP_MENU: readonly MenuItem[] = [
  { id: 'dashboard', path: '/dashboard', labelKey: 'menu.dashboard', icon: 'dashboard' },
  { id: 'contacts', path: '/contacts', labelKey: 'menu.contacts', icon: 'contacts' },
  { id: 'leads', path: '/leads', labelKey: 'menu.leads', icon: 'work' },
  { id: 'events', path: '/events', labelKey: 'menu.events', icon: 'inbox' },
  { id: 'amocrm', path: '/connections/amocrm', labelKey: 'menu.amocrm', icon: 'sync_alt' },
  { id: 'lptracker', path: '/connections/lptracker', labelKey: 'menu.lptracker', icon: 'autorenew' },
  { id: 'mappings', path: '/mappings', labelKey: 'menu.mappings', icon: 'tune' },
  { id: 'rules', path: '/rules', labelKey: 'menu.rules', icon: 'play_arrow' },
  { id: 'links', path: '/links', labelKey: 'menu.links', icon: 'link' },
  { id: 'imports', path: '/imports', labelKey: 'imports.title', icon: 'upload_file' },
  { id: 'call-results', path: '/call-results', labelKey: 'callResults.title', icon: 'call' },
  { id: 'alerts', path: '/alerts', labelKey: 'alerts.title', icon: 'notifications' },
  { id: 'users', path: '/users', labelKey: 'menu.users', icon: 'group', roles: ['admin'] },
  { id: 'api-keys', path: '/api-keys', labelKey: 'menu.apiKeys', icon: 'vpn_key', roles: ['admin'] },
  { id: 'audit', path: '/audit', labelKey: 'menu.audit', icon: 'history', roles: ['admin'] },
  {
    id: 'workspaces',
    path: '/workspaces',
    labelKey: 'menu.workspaces',
    icon: 'domain',
    superAdminOnly: true,
  },
];
