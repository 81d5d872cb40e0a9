import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';

import { makeUser, storeSession } from '../../../testing/test-helpers';
import { authGuard, guestGuard, roleGuard, superAdminGuard } from './auth.guards';

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class Blank {}

describe('auth guards', () => {
  function setUp(): Router {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'login', component: Blank, canActivate: [guestGuard] },
          { path: 'forbidden', component: Blank },
          { path: 'users', component: Blank, canActivate: [authGuard, roleGuard(['admin'])] },
          { path: 'workspaces', component: Blank, canActivate: [authGuard, superAdminGuard] },
          { path: '', component: Blank },
        ]),
      ],
    });
    return TestBed.inject(Router);
  }

  beforeEach(() => localStorage.clear());

  it('sends a signed-out user to the login page with a return URL', async () => {
    const router = setUp();
    await router.navigateByUrl('/users?page=2');
    expect(router.url).toBe('/login?returnUrl=%2Fusers%3Fpage%3D2');
  });

  it('shows "no access" to a viewer opening an admin page', async () => {
    storeSession(makeUser('viewer'));
    const router = setUp();
    await router.navigateByUrl('/users');
    expect(router.url).toBe('/forbidden');
  });

  it('lets an admin open an admin page but not the super admin one', async () => {
    storeSession(makeUser('admin'));
    const router = setUp();
    await router.navigateByUrl('/users');
    expect(router.url).toBe('/users');
    await router.navigateByUrl('/workspaces');
    expect(router.url).toBe('/forbidden');
  });

  it('lets a super admin open everything', async () => {
    storeSession(makeUser('viewer', { isSuperAdmin: true }));
    const router = setUp();
    await router.navigateByUrl('/workspaces');
    expect(router.url).toBe('/workspaces');
    await router.navigateByUrl('/users');
    expect(router.url).toBe('/users');
  });

  it('sends a signed-in user away from the login page to the return URL', async () => {
    storeSession(makeUser('admin'));
    const router = setUp();
    await router.navigateByUrl('/login?returnUrl=%2Fusers');
    expect(router.url).toBe('/users');
    await router.navigateByUrl('/login?returnUrl=%2F%2Fevil.example.com');
    expect(router.url).toBe('/');
  });
});
