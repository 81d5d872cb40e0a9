import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, switchMap, throwError } from 'rxjs';

import { API_BASE_URL } from '../api/api-client';
import { readProblem } from '../api/problem-details';
import { AUTH_PATHS } from './auth-api';
import { AuthService, isRejectedRefresh } from './auth.service';

/** Endpoints that must not get a token or trigger a refresh (their 401 means "wrong credentials"). */
const NO_REFRESH_PATHS = [AUTH_PATHS.login, AUTH_PATHS.refresh, AUTH_PATHS.logout].map(
  (path) => `${API_BASE_URL}${path}`,
);

/** Problem type of a 401 for a wrong password (`POST /auth/password` with a wrong current one). */
export const WRONG_PASSWORD_PROBLEM = 'urn:problem-type:invalid-credentials';

/**
 * Adds `Authorization: Bearer <access token>` to API calls. On a 401 it refreshes the tokens
 * once (concurrent 401s wait for the same refresh) and replays the request with the new token.
 * If the refresh token is refused, the session ends and the login page opens with a return URL.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(`${API_BASE_URL}/`) || NO_REFRESH_PATHS.includes(req.url.split('?')[0] ?? '')) {
    return next(req);
  }
  const auth = inject(AuthService);
  const token = auth.accessToken();

  return next(withToken(req, token)).pipe(
    catchError((error: unknown) => {
      if (
        !(error instanceof HttpErrorResponse) ||
        error.status !== 401 ||
        !auth.isAuthenticated() ||
        isWrongPassword(error)
      ) {
        return throwError(() => error);
      }
      return auth.refreshAccessToken(token).pipe(
        catchError((refreshError: unknown) => {
          if (isRejectedRefresh(refreshError)) {
            auth.expireSession();
          }
          return throwError(() => error);
        }),
        switchMap((newToken) => next(withToken(req, newToken))),
      );
    }),
  );
};

/**
 * A 401 that means "the password you typed is wrong" (e.g. the current password when changing
 * it), not "your token is no good": refreshing would not help.
 */
function isWrongPassword(error: HttpErrorResponse): boolean {
  return readProblem(error)?.type === WRONG_PASSWORD_PROBLEM;
}

function withToken<T>(req: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
}
