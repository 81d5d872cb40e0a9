import { inject } from '@angular/core';
import type { CanActivateChildFn, CanActivateFn, CanMatchFn } from '@angular/router';
import { Router } from '@angular/router';

import type { Role } from './auth.models';
import { AuthService, isSafeReturnUrl } from './auth.service';

/** Signed-in users only; others go to `/login?returnUrl=<where they wanted to go>`. */
export const authGuard: CanActivateFn & CanActivateChildFn = (_route, state) => {
  const auth = inject(AuthService);
  if (auth.isAuthenticated()) {
    return true;
  }
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** The login page only for signed-out users; a signed-in user goes on to the return URL. */
export const guestGuard: CanActivateFn = (route) => {
  if (!inject(AuthService).isAuthenticated()) {
    return true;
  }
  const returnUrl = route.queryParamMap.get('returnUrl');
  return inject(Router).parseUrl(isSafeReturnUrl(returnUrl) ? returnUrl : '/');
};

/**
 * Only users with one of `roles` (a super admin passes every role check); others see
 * the "no access" page. Use as `canActivate: [roleGuard(['admin'])]`.
 */
export function roleGuard(roles: readonly Role[]): CanActivateFn & CanActivateChildFn & CanMatchFn {
  return () => inject(AuthService).hasRole(roles) || inject(Router).parseUrl('/forbidden');
}

/** Only super admins (workspace management); others see the "no access" page. */
export const superAdminGuard: CanActivateFn & CanActivateChildFn & CanMatchFn = () =>
  inject(AuthService).isSuperAdmin() || inject(Router).parseUrl('/forbidden');
