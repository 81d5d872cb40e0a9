import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog, type MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { makeUser, registerIcons, storeSession, text, typeInto } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { AUTH_STORAGE_KEYS } from '../core/auth/auth.service';
import { ChangePasswordDialog } from './change-password-dialog';

describe('ChangePasswordDialog', () => {
  let backend: HttpTestingController;
  let dialogRef: MatDialogRef<ChangePasswordDialog, boolean>;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeUser('manager', { email: 'maria.petrova@example.com' }), 'access-1', 'refresh-1');
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    dialogRef = TestBed.inject(MatDialog).open(ChangePasswordDialog);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  async function fill(current: string, next: string, repeat: string): Promise<void> {
    typeInto(overlayTestId('change-password-current'), current);
    typeInto(overlayTestId('change-password-new'), next);
    typeInto(overlayTestId('change-password-repeat'), repeat);
    overlayTestId('change-password-submit').click();
    await settle();
  }

  function dialogText(): string {
    return text(document.querySelector('app-change-password-dialog'));
  }

  it('says the passwords do not match, without calling the server', async () => {
    await fill('Old-secret-1', 'Brand-new-pass-7', 'Brand-new-pass-8');

    expect(dialogText()).toContain('Пароли не совпадают.');
    backend.expectNone('/api/v1/auth/password');
  });

  it('checks the new password against the policy (not the e-mail name)', async () => {
    await fill('Old-secret-1', 'petrova-2026-x', 'petrova-2026-x');
    expect(dialogText()).not.toContain('В пароле не должно быть имени из адреса почты.');
    backend.expectOne('/api/v1/auth/password').flush({}, { status: 500, statusText: 'Error' });
    await settle();

    await fill('Old-secret-1', 'maria.petrova-1', 'maria.petrova-1');
    expect(dialogText()).toContain('В пароле не должно быть имени из адреса почты.');
    backend.expectNone('/api/v1/auth/password');
  });

  it('stores the new session and says so', async () => {
    const closed = vi.fn();
    dialogRef.afterClosed().subscribe(closed);
    await fill('Old-secret-1', 'Brand-new-pass-7', 'Brand-new-pass-7');

    const req = backend.expectOne({ method: 'POST', url: '/api/v1/auth/password' });
    expect(req.request.body).toEqual({ currentPassword: 'Old-secret-1', newPassword: 'Brand-new-pass-7' });
    expect(req.request.headers.get('Authorization')).toBe('Bearer access-1');
    req.flush({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      expiresIn: 900,
      user: makeUser('manager', { email: 'maria.petrova@example.com' }),
    });
    await settle();

    expect(localStorage.getItem(AUTH_STORAGE_KEYS.accessToken)).toBe('access-2');
    expect(localStorage.getItem(AUTH_STORAGE_KEYS.refreshToken)).toBe('refresh-2');
    expect(closed).toHaveBeenCalledWith(true);
    expect(snackBarText()).toContain('Пароль изменён.');
  });

  it('marks a wrong current password, without trying to refresh the session', async () => {
    await fill('Wrong-secret-1', 'Brand-new-pass-7', 'Brand-new-pass-7');

    backend.expectOne('/api/v1/auth/password').flush(
      {
        type: 'urn:problem-type:invalid-credentials',
        title: 'Unauthorized',
        status: 401,
        detail: 'The current password is wrong.',
      },
      { status: 401, statusText: 'Unauthorized' },
    );
    await settle();

    backend.expectNone('/api/v1/auth/refresh');
    expect(dialogText()).toContain('Текущий пароль неверный.');
    expect(localStorage.getItem(AUTH_STORAGE_KEYS.refreshToken)).toBe('refresh-1');
  });

  it('shows the server policy error on the new password, in Russian', async () => {
    await fill('Old-secret-1', 'Brand-new-pass-7', 'Brand-new-pass-7');
    backend.expectOne('/api/v1/auth/password').flush(
      {
        type: 'urn:problem-type:validation-error',
        title: 'Validation failed',
        status: 400,
        detail: 'The password must be at least 10 characters long.',
        errors: [
          {
            field: 'newPassword',
            code: 'passwordTooShort',
            message: 'The password must be at least 10 characters long.',
          },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();

    expect(dialogText()).toContain('Пароль слишком короткий: нужно не меньше 10 символов.');
    expect(document.querySelector('[data-testid="change-password-error"]')).toBeNull();
  });
});
