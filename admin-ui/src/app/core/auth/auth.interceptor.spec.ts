import {
  HttpClient,
  type HttpErrorResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { makeUser, storeSession } from '../../../testing/test-helpers';
import { authInterceptor } from './auth.interceptor';
import type { AuthSession } from './auth.models';
import { AUTH_STORAGE_KEYS, AuthService } from './auth.service';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let navigate: ReturnType<typeof vi.spyOn>;

  const newSession: AuthSession = {
    accessToken: 'access-2',
    refreshToken: 'refresh-2',
    expiresIn: 900,
    user: makeUser('admin'),
  };

  function setUp(): void {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  }

  beforeEach(() => {
    localStorage.clear();
    storeSession(makeUser('admin'), 'access-1', 'refresh-1');
    setUp();
  });

  afterEach(() => backend.verify());

  it('sends the access token with API calls', () => {
    http.get('/api/v1/contacts').subscribe();

    const req = backend.expectOne('/api/v1/contacts');
    expect(req.request.headers.get('Authorization')).toBe('Bearer access-1');
    req.flush([]);
  });

  it('does not send the token outside the API', () => {
    http.get('/health/ready').subscribe();
    http.get('https://example.com/api/v1/x').subscribe();

    expect(backend.expectOne('/health/ready').request.headers.has('Authorization')).toBe(false);
    expect(backend.expectOne('https://example.com/api/v1/x').request.headers.has('Authorization')).toBe(
      false,
    );
  });

  it('refreshes once for concurrent 401s and replays every request with the new token', () => {
    const results: unknown[] = [];
    http.get('/api/v1/contacts').subscribe((body) => results.push(body));
    http.get('/api/v1/leads').subscribe((body) => results.push(body));

    backend.expectOne('/api/v1/contacts').flush(null, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/v1/leads').flush(null, { status: 401, statusText: 'Unauthorized' });

    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    refresh.flush(newSession);
    backend.expectNone('/api/v1/auth/refresh');

    const contacts = backend.expectOne('/api/v1/contacts');
    const leads = backend.expectOne('/api/v1/leads');
    expect(contacts.request.headers.get('Authorization')).toBe('Bearer access-2');
    expect(leads.request.headers.get('Authorization')).toBe('Bearer access-2');
    contacts.flush(['contact']);
    leads.flush(['lead']);

    expect(results).toEqual([['contact'], ['lead']]);
    expect(localStorage.getItem(AUTH_STORAGE_KEYS.refreshToken)).toBe('refresh-2');
  });

  it('replays without refreshing when the token was already renewed meanwhile', () => {
    http.get('/api/v1/contacts').subscribe();
    localStorage.setItem(AUTH_STORAGE_KEYS.accessToken, 'access-from-other-tab');

    backend.expectOne('/api/v1/contacts').flush(null, { status: 401, statusText: 'Unauthorized' });

    backend.expectNone('/api/v1/auth/refresh');
    const replay = backend.expectOne('/api/v1/contacts');
    expect(replay.request.headers.get('Authorization')).toBe('Bearer access-from-other-tab');
    replay.flush([]);
  });

  it('signs out and opens the login page with a return URL when the refresh fails', () => {
    const errors: HttpErrorResponse[] = [];
    http.get('/api/v1/contacts').subscribe({ error: (e: HttpErrorResponse) => errors.push(e) });
    http.get('/api/v1/leads').subscribe({ error: (e: HttpErrorResponse) => errors.push(e) });

    backend.expectOne('/api/v1/contacts').flush(null, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/v1/leads').flush(null, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/v1/auth/refresh').flush(null, { status: 401, statusText: 'Unauthorized' });

    expect(errors.map((e) => e.status)).toEqual([401, 401]);
    expect(TestBed.inject(AuthService).user()).toBeNull();
    expect(localStorage.getItem(AUTH_STORAGE_KEYS.accessToken)).toBeNull();
    expect(localStorage.getItem(AUTH_STORAGE_KEYS.refreshToken)).toBeNull();
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired', returnUrl: '/' } });
  });

  it('keeps the session when the refresh cannot reach the server', () => {
    const errors: HttpErrorResponse[] = [];
    http.get('/api/v1/contacts').subscribe({ error: (e: HttpErrorResponse) => errors.push(e) });

    backend.expectOne('/api/v1/contacts').flush(null, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/v1/auth/refresh').error(new ProgressEvent('error'));

    expect(errors.map((e) => e.status)).toEqual([401]);
    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(true);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('does not refresh when a 401 means "wrong password" (changing your own password)', () => {
    const errors: HttpErrorResponse[] = [];
    http
      .post('/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y' })
      .subscribe({ error: (e: HttpErrorResponse) => errors.push(e) });

    const req = backend.expectOne('/api/v1/auth/password');
    expect(req.request.headers.get('Authorization')).toBe('Bearer access-1');
    req.flush(
      { type: 'urn:problem-type:invalid-credentials', title: 'Unauthorized', status: 401, detail: 'wrong' },
      { status: 401, statusText: 'Unauthorized' },
    );

    backend.expectNone('/api/v1/auth/refresh');
    expect(errors.map((e) => e.status)).toEqual([401]);
    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(true);
  });

  it('does not try to refresh when the login itself answers 401', () => {
    const errors: HttpErrorResponse[] = [];
    http.post('/api/v1/auth/login', {}).subscribe({ error: (e: HttpErrorResponse) => errors.push(e) });

    const login = backend.expectOne('/api/v1/auth/login');
    expect(login.request.headers.has('Authorization')).toBe(false);
    login.flush(null, { status: 401, statusText: 'Unauthorized' });

    backend.expectNone('/api/v1/auth/refresh');
    expect(errors.map((e) => e.status)).toEqual([401]);
  });
});
