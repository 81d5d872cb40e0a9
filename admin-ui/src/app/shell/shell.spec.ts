import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
} from '../../testing/test-helpers';
import type { AuthUser } from '../core/auth/auth.models';
import { AUTH_STORAGE_KEYS } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { MENU_ITEMS, type MenuItem } from '../core/navigation/menu-item';
import type { CurrentWorkspace } from '../workspaces/workspaces.models';
import Shell from './shell';

const OWN: CurrentWorkspace = { id: 'w-1', name: 'Отдел продаж', disabled: false, acting: false, home: null };

const MENU: MenuItem[] = [
  { id: 'dashboard', path: '/dashboard', labelKey: 'menu.dashboard', icon: 'dashboard' },
  { id: 'users', path: '/users', labelKey: 'roles.admin', icon: 'account_circle', roles: ['admin'] },
  { id: 'workspaces', path: '/workspaces', labelKey: 'roles.superAdmin', icon: 'help', superAdminOnly: true },
];

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let backend: HttpTestingController;

  async function render(user: AuthUser, workspace: CurrentWorkspace = OWN): Promise<void> {
    localStorage.clear();
    storeSession(user);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MENU_ITEMS, useValue: MENU },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Shell);
    await fixture.whenStable();
    backend.expectOne('/api/v1/auth/me').flush(user);
    backend.expectOne('/api/v1/workspaces/current').flush(workspace);
    await fixture.whenStable();
  }

  function navIds(): string[] {
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid^="nav-"]')).map(
      (a) => a.getAttribute('data-testid') ?? '',
    );
  }

  it('hides admin entries from a viewer', async () => {
    await render(makeUser('viewer'));
    expect(navIds()).toEqual(['nav-dashboard']);
  });

  it('shows admin entries to an admin, but not the super admin ones', async () => {
    await render(makeUser('admin'));
    expect(navIds()).toEqual(['nav-dashboard', 'nav-users']);
  });

  it('shows everything to a super admin', async () => {
    await render(makeUser('viewer', { isSuperAdmin: true }));
    expect(navIds()).toEqual(['nav-dashboard', 'nav-users', 'nav-workspaces']);
  });

  it('shows the menu in the chosen language', async () => {
    await render(makeUser('viewer'));
    expect(text(byTestId(fixture, 'nav-dashboard'))).toBe('Обзор');

    byTestId(fixture, 'language-toggle').click();
    await fixture.whenStable();

    expect(TestBed.inject(I18nService).lang()).toBe('en');
    expect(text(byTestId(fixture, 'nav-dashboard'))).toBe('Overview');
    expect(document.documentElement.lang).toBe('en');
  });

  it('opens "change password" from the user menu', async () => {
    await render(makeUser('viewer'));
    byTestId(fixture, 'user-menu').click();
    await fixture.whenStable();
    document.querySelector<HTMLElement>('[data-testid="change-password"]')?.click();
    await vi.waitFor(() => {
      expect(document.querySelector('[data-testid="change-password-form"]')).not.toBeNull();
    });
    document.querySelectorAll('.cdk-overlay-container').forEach((e) => e.remove());
  });

  it('shows the current user and logs out from the user menu', async () => {
    await render(makeUser('admin'));
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    expect(text(byTestId(fixture, 'user-menu'))).toContain('admin@example.com');

    byTestId(fixture, 'user-menu').click();
    await fixture.whenStable();
    const logout = document.querySelector<HTMLElement>('[data-testid="logout"]');
    expect(text(document.querySelector('[data-testid="user-info"]'))).toContain('Администратор');
    logout?.click();
    await fixture.whenStable();

    const req = backend.expectOne('/api/v1/auth/logout');
    expect(req.request.body).toEqual({ refreshToken: 'refresh-1' });
    req.flush(null);
    expect(localStorage.getItem(AUTH_STORAGE_KEYS.refreshToken)).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login']);
    expect(queryTestId(fixture, 'user-menu')).toBeNull();
  });

  it('shows the workspace you work in, without a way back when it is your own', async () => {
    await render(makeUser('viewer'));
    expect(text(byTestId(fixture, 'current-workspace'))).toBe('Отдел продаж');
    expect(queryTestId(fixture, 'acting-workspace')).toBeNull();
    expect(queryTestId(fixture, 'back-home')).toBeNull();
  });

  it('tells a super admin they work in another workspace and takes them back to their own', async () => {
    await render(makeUser('admin', { isSuperAdmin: true }), {
      id: 'w-2',
      name: 'Филиал',
      disabled: true,
      acting: true,
      home: { id: 'w-1', name: 'Основное' },
    });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const badge = byTestId(fixture, 'current-workspace');
    expect(text(badge.querySelector('.workspace-name'))).toBe('Филиал');
    expect(text(badge)).toContain('выключено');
    expect(text(byTestId(fixture, 'acting-workspace'))).toBe('Вы в чужом пространстве');
    expect(text(byTestId(fixture, 'back-home'))).toBe('Вернуться в «Основное»');

    byTestId(fixture, 'back-home').click();
    const req = backend.expectOne({ method: 'POST', url: '/api/v1/workspaces/w-1/open' });
    req.flush({ id: 'w-1', name: 'Основное', disabled: false, acting: false, home: null });
    await fixture.whenStable();

    expect(text(byTestId(fixture, 'current-workspace'))).toBe('Основное');
    expect(queryTestId(fixture, 'back-home')).toBeNull();
    expect(navigate).toHaveBeenCalledWith('/workspaces');
  });
});
