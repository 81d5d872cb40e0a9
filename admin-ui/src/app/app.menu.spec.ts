import type { Route } from '@angular/router';

import { makeUser } from '../testing/test-helpers';
import { APP_MENU } from './app.menu';
import { routes } from './app.routes';
import { superAdminGuard } from './core/auth/auth.guards';
import { visibleMenuItems } from './core/navigation/menu-item';

function ids(user: ReturnType<typeof makeUser>): string[] {
  return visibleMenuItems(APP_MENU, user).map((item) => item.id);
}

function shellChild(path: string): Route | undefined {
  return routes.find((route) => route.path === '')?.children?.find((route) => route.path === path);
}

describe('app menu and routes', () => {
  it('shows users, API keys and the audit log to admins only, workspaces to super admins only', () => {
    expect(ids(makeUser('admin'))).toEqual(expect.arrayContaining(['users', 'api-keys', 'audit']));
    expect(ids(makeUser('admin'))).not.toContain('workspaces');
    for (const role of ['manager', 'viewer'] as const) {
      expect(ids(makeUser(role))).not.toEqual(expect.arrayContaining(['users']));
      expect(ids(makeUser(role))).not.toContain('api-keys');
      expect(ids(makeUser(role))).not.toContain('audit');
    }
    expect(ids(makeUser('viewer', { isSuperAdmin: true }))).toContain('workspaces');
  });

  it('guards the pages as well, not only the menu', () => {
    for (const path of ['users', 'api-keys', 'audit']) {
      expect(shellChild(path)?.canActivate, path).toHaveLength(1);
    }
    expect(shellChild('workspaces')?.canActivate).toEqual([superAdminGuard]);
  });
});
