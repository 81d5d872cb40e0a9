import { type ComponentFixture, TestBed } from '@angular/core/testing';

import type { AuthUser, Role } from '../app/core/auth/auth.models';
import { AUTH_STORAGE_KEYS } from '../app/core/auth/auth.service';
import { registerAppIcons } from '../app/core/icons/app-icons';

export function makeUser(role: Role, overrides: Partial<AuthUser> = {}): AuthUser {
  return {
    id: 'u-1',
    email: `${role}@example.com`,
    role,
    workspaceId: 'w-1',
    isSuperAdmin: false,
    ...overrides,
  };
}

/** Puts a session into localStorage, as a previous login would (call before AuthService is created). */
export function storeSession(user: AuthUser, accessToken = 'access-1', refreshToken = 'refresh-1'): void {
  localStorage.setItem(AUTH_STORAGE_KEYS.accessToken, accessToken);
  localStorage.setItem(AUTH_STORAGE_KEYS.refreshToken, refreshToken);
  localStorage.setItem(AUTH_STORAGE_KEYS.user, JSON.stringify(user));
}

/** Registers the SVG icons so `<mat-icon svgIcon>` renders in tests. */
export function registerIcons(): void {
  TestBed.runInInjectionContext(registerAppIcons);
}

/** The element with `data-testid="<id>"` (throws if missing). */
export function byTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement {
  const element = (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!element) {
    throw new Error(`No element with data-testid="${id}"`);
  }
  return element;
}

export function queryTestId(fixture: ComponentFixture<unknown>, id: string): HTMLElement | null {
  return (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`);
}

/** Types into an input the way a user does (value + input event). */
export function typeInto(input: HTMLElement, value: string): void {
  (input as HTMLInputElement).value = value;
  input.dispatchEvent(new Event('input'));
}

export function text(element: Element | null): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
