import { InjectionToken } from '@angular/core';

import type { AuthUser, Role } from '../auth/auth.models';
import type { TranslationKey } from '../i18n/i18n.types';
import type { AppIconName } from '../icons/app-icons';

/** One entry of the side menu (the list itself is `APP_MENU` in `app.menu.ts`). */
export interface MenuItem {
  /** Stable id: the link gets `data-testid="nav-<id>"`. */
  id: string;
  /** Router path, e.g. `/contacts`. */
  path: string;
  labelKey: TranslationKey;
  icon: AppIconName;
  /** Shown only to these roles (a super admin sees everything). Omit for everyone. */
  roles?: readonly Role[];
  /** Shown only to super admins. */
  superAdminOnly?: boolean;
}

/** The menu the shell shows; tests may provide their own list. */
export const MENU_ITEMS = new InjectionToken<readonly MenuItem[]>('MENU_ITEMS');

/** The items `user` may see, in their order. */
export function visibleMenuItems(items: readonly MenuItem[], user: AuthUser | null): MenuItem[] {
  if (!user) {
    return [];
  }
  return items.filter((item) => {
    if (item.superAdminOnly) {
      return user.isSuperAdmin;
    }
    return !item.roles || user.isSuperAdmin || item.roles.includes(user.role);
  });
}
