import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../api/api-client';
import type { AuthSession, AuthUser, ChangePasswordRequest, LoginRequest } from './auth.models';

export const AUTH_PATHS = {
  login: '/auth/login',
  refresh: '/auth/refresh',
  logout: '/auth/logout',
  me: '/auth/me',
  password: '/auth/password',
} as const;

@Injectable({ providedIn: 'root' })
export class AuthApi extends ApiClient {
  login(request: LoginRequest): Observable<AuthSession> {
    return this.post<AuthSession>(AUTH_PATHS.login, request);
  }

  refresh(refreshToken: string): Observable<AuthSession> {
    return this.post<AuthSession>(AUTH_PATHS.refresh, { refreshToken });
  }

  logout(refreshToken: string): Observable<void> {
    return this.post<void>(AUTH_PATHS.logout, { refreshToken });
  }

  me(): Observable<AuthUser> {
    return this.get<AuthUser>(AUTH_PATHS.me);
  }

  /** Changes the signed-in user's password; the answer is a new session (other sessions end). */
  changePassword(request: ChangePasswordRequest): Observable<AuthSession> {
    return this.post<AuthSession>(AUTH_PATHS.password, request);
  }
}
