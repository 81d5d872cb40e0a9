import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { type Observable, finalize, fromEvent, map, of, shareReplay, tap, throwError } from 'rxjs';

import { BrowserStorage } from '../browser-storage';
import { AuthApi } from './auth-api';
import type { AuthSession, AuthUser, Role } from './auth.models';

export const AUTH_STORAGE_KEYS = {
  accessToken: 'admin-ui.auth.accessToken',
  refreshToken: 'admin-ui.auth.refreshToken',
  user: 'admin-ui.auth.user',
} as const;

/** Thrown (as an observable error) when there is no session left to refresh. */
export class SessionExpiredError extends Error {
  constructor() {
    super('Session expired');
    this.name = 'SessionExpiredError';
  }
}

/**
 * The signed-in user and their tokens. Tokens live in `localStorage` (so a reload or a second
 * tab stays signed in); the user is a signal for templates and guards.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(AuthApi);
  private readonly storage = inject(BrowserStorage);
  private readonly router = inject(Router);
  private readonly userState = signal<AuthUser | null>(this.storedUser());
  private refreshInFlight: Observable<string> | null = null;

  readonly user = this.userState.asReadonly();
  readonly isAuthenticated = computed(() => this.userState() !== null);
  readonly role = computed(() => this.userState()?.role ?? null);
  readonly isSuperAdmin = computed(() => this.userState()?.isSuperAdmin === true);

  constructor() {
    // Another tab signed out, or signed in as someone else: follow it.
    if (typeof window !== 'undefined') {
      const subscription = fromEvent<StorageEvent>(window, 'storage').subscribe((event) =>
        this.onStorageChange(event),
      );
      inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
    }
  }

  accessToken(): string | null {
    return this.storage.get(AUTH_STORAGE_KEYS.accessToken);
  }

  /** True when the user has one of `roles`; a super admin has every role. */
  hasRole(roles: readonly Role[]): boolean {
    const user = this.userState();
    return user !== null && (user.isSuperAdmin || roles.includes(user.role));
  }

  login(email: string, password: string): Observable<AuthUser> {
    return this.api.login({ email, password }).pipe(
      tap((session) => this.storeSession(session)),
      map((session) => session.user),
    );
  }

  /**
   * Changes the signed-in user's own password. The server ends every other session and answers
   * with a new one, which replaces the current tokens here.
   */
  changePassword(currentPassword: string, newPassword: string): Observable<AuthUser> {
    return this.api.changePassword({ currentPassword, newPassword }).pipe(
      tap((session) => this.storeSession(session)),
      map((session) => session.user),
    );
  }

  /**
   * A valid access token after `failedToken` was refused with 401. Only one refresh runs at a
   * time: concurrent callers share it. If the token was already replaced meanwhile (by another
   * request or another tab), the new one is returned without calling the server.
   */
  refreshAccessToken(failedToken: string | null): Observable<string> {
    const current = this.accessToken();
    if (current !== null && current !== failedToken) {
      return of(current);
    }
    if (this.refreshInFlight) {
      return this.refreshInFlight;
    }
    const refreshToken = this.storage.get(AUTH_STORAGE_KEYS.refreshToken);
    if (!refreshToken) {
      return throwError(() => new SessionExpiredError());
    }
    this.refreshInFlight = this.api.refresh(refreshToken).pipe(
      tap((session) => this.storeSession(session)),
      map((session) => session.accessToken),
      finalize(() => (this.refreshInFlight = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.refreshInFlight;
  }

  /** Reloads the user (role changes, etc.) from `GET /api/v1/auth/me`. */
  reloadUser(): void {
    this.api.me().subscribe({
      next: (user) => {
        this.userState.set(user);
        this.storage.set(AUTH_STORAGE_KEYS.user, JSON.stringify(user));
      },
      error: () => undefined, // a 401 is handled by the interceptor; anything else keeps the cached user
    });
  }

  /** Signs out here and on the server, then shows the login page. */
  logout(): void {
    const refreshToken = this.storage.get(AUTH_STORAGE_KEYS.refreshToken);
    this.clearSession();
    if (refreshToken) {
      this.api.logout(refreshToken).subscribe({ error: () => undefined });
    }
    void this.router.navigate(['/login']);
  }

  /** The session cannot be refreshed: forget it and go to the login page, coming back later. */
  expireSession(returnUrl: string = this.router.url): void {
    const hadSession = this.userState() !== null || this.storage.get(AUTH_STORAGE_KEYS.refreshToken) !== null;
    this.clearSession();
    if (!hadSession) {
      return;
    }
    const queryParams: Record<string, string> = { reason: 'expired' };
    if (isSafeReturnUrl(returnUrl) && !returnUrl.startsWith('/login')) {
      queryParams['returnUrl'] = returnUrl;
    }
    void this.router.navigate(['/login'], { queryParams });
  }

  private storeSession(session: AuthSession): void {
    this.storage.set(AUTH_STORAGE_KEYS.accessToken, session.accessToken);
    this.storage.set(AUTH_STORAGE_KEYS.refreshToken, session.refreshToken);
    this.storage.set(AUTH_STORAGE_KEYS.user, JSON.stringify(session.user));
    this.userState.set(session.user);
  }

  private clearSession(): void {
    this.storage.remove(AUTH_STORAGE_KEYS.accessToken);
    this.storage.remove(AUTH_STORAGE_KEYS.refreshToken);
    this.storage.remove(AUTH_STORAGE_KEYS.user);
    this.userState.set(null);
  }

  private storedUser(): AuthUser | null {
    if (!this.storage.get(AUTH_STORAGE_KEYS.refreshToken)) {
      return null;
    }
    try {
      const user = JSON.parse(this.storage.get(AUTH_STORAGE_KEYS.user) ?? 'null') as AuthUser | null;
      return user && typeof user.email === 'string' ? user : null;
    } catch {
      return null;
    }
  }

  private onStorageChange(event: StorageEvent): void {
    if (
      event.key !== null &&
      event.key !== AUTH_STORAGE_KEYS.user &&
      event.key !== AUTH_STORAGE_KEYS.refreshToken
    ) {
      return;
    }
    const user = this.storedUser();
    this.userState.set(user);
    if (!user) {
      void this.router.navigate(['/login']);
    }
  }
}

/** Only in-app paths (`/contacts?page=2`), never another site (`//evil.example`, `https://…`). */
export function isSafeReturnUrl(url: unknown): url is string {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\');
}

/** True for errors that mean "this refresh token is no good" (rather than "server unreachable"). */
export function isRejectedRefresh(error: unknown): boolean {
  return (
    error instanceof SessionExpiredError ||
    (error instanceof HttpErrorResponse && [400, 401, 403].includes(error.status))
  );
}
