import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { byTestId, makeUser, registerIcons, storeSession, text, typeInto } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { I18nService } from '../core/i18n/i18n.service';
import UsersPage from './users-page';
import type { User } from './users.models';

function user(overrides: Partial<User> & Pick<User, 'id' | 'email'>): User {
  return {
    role: 'manager',
    workspaceId: 'w-1',
    isSuperAdmin: false,
    disabled: false,
    lastLoginAt: null,
    createdAt: '2026-03-01T09:00:00.000Z',
    ...overrides,
  };
}

const ME = user({
  id: 'u-1',
  email: 'admin@example.com',
  role: 'admin',
  lastLoginAt: '2026-03-05T10:00:00.000Z',
});
const ANNA = user({ id: 'u-2', email: 'anna@example.com', role: 'manager' });
const BOB = user({ id: 'u-3', email: 'bob@example.com', role: 'viewer', disabled: true });

describe('UsersPage', () => {
  let fixture: ComponentFixture<UsersPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeUser('admin', { id: ME.id, email: ME.email }));
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
    fixture = TestBed.createComponent(UsersPage);
    await fixture.whenStable();
    backend.expectOne('/api/v1/users').flush([ME, ANNA, BOB]);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function row(email: string): HTMLElement {
    return byTestId(fixture, `user-row-${email}`);
  }

  function inRow(email: string, testId: string): HTMLElement {
    const element = row(email).querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!element) {
      throw new Error(`No ${testId} in the row of ${email}`);
    }
    return element;
  }

  function isDisabled(button: HTMLElement): boolean {
    return button.hasAttribute('disabled') || button.getAttribute('aria-disabled') === 'true';
  }

  it('lists the users with role, state and last sign-in, in Russian', () => {
    expect(byTestId(fixture, 'users-table')).toBeTruthy();
    expect(text(row('anna@example.com'))).toContain('Менеджер');
    expect(text(row('anna@example.com'))).toContain('Активен');
    expect(text(row('anna@example.com'))).toContain('ещё не входил');
    expect(text(row('bob@example.com'))).toContain('Наблюдатель');
    expect(text(row('bob@example.com'))).toContain('Отключён');
    expect(text(row('admin@example.com'))).toContain('это вы');
    expect(text(row('admin@example.com'))).toContain('05.03.2026');
  });

  it('keeps your own row read-only: role, password, disable and delete are disabled', async () => {
    for (const id of ['user-role-select', 'user-reset-password', 'user-disable', 'user-delete']) {
      expect(isDisabled(inRow('admin@example.com', id)), id).toBe(true);
    }
    expect(isDisabled(inRow('anna@example.com', 'user-role-select'))).toBe(false);
    expect(isDisabled(inRow('anna@example.com', 'user-delete'))).toBe(false);

    // Disabled buttons stay focusable for their tooltip: a click must still do nothing.
    inRow('admin@example.com', 'user-delete').click();
    inRow('admin@example.com', 'user-disable').click();
    await settle();
    expect(queryOverlayTestId('confirm-ok')).toBeNull();
    backend.expectNone(() => true);
  });

  it('changes a role from the role chip with a PATCH and shows the new role', async () => {
    inRow('anna@example.com', 'user-role-select').click();
    await settle();
    overlayTestId('user-role-option-admin').click();
    await settle();

    const req = backend.expectOne({ method: 'PATCH', url: '/api/v1/users/u-2' });
    expect(req.request.body).toEqual({ role: 'admin' });
    req.flush({ ...ANNA, role: 'admin' });
    await settle();

    expect(text(inRow('anna@example.com', 'user-role-select'))).toBe('Администратор');
    expect(snackBarText()).toContain('anna@example.com: теперь роль «Администратор».');
  });

  it('explains a self-lockout refusal (the last admin) in plain words', async () => {
    inRow('anna@example.com', 'user-role-select').click();
    await settle();
    overlayTestId('user-role-option-viewer').click();
    await settle();

    backend.expectOne({ method: 'PATCH', url: '/api/v1/users/u-2' }).flush(
      {
        type: 'urn:problem-type:self-lockout',
        title: 'Conflict',
        status: 409,
        detail: 'This is the last active admin of the workspace: make someone else admin first.',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();

    expect(snackBarText()).toContain('Это последний администратор.');
    expect(text(inRow('anna@example.com', 'user-role-select'))).toBe('Менеджер');
  });

  it('disables a user only after confirmation', async () => {
    inRow('anna@example.com', 'user-disable').click();
    await settle();
    expect(text(overlayTestId('confirm-ok'))).toBe('Отключить');
    overlayTestId('confirm-ok').click();
    await settle();

    const req = backend.expectOne({ method: 'PATCH', url: '/api/v1/users/u-2' });
    expect(req.request.body).toEqual({ disabled: true });
    req.flush({ ...ANNA, disabled: true });
    await settle();

    expect(text(row('anna@example.com'))).toContain('Отключён');
    expect(row('anna@example.com').querySelector('[data-testid="user-enable"]')).not.toBeNull();
  });

  it('does nothing when the deletion is cancelled, deletes when confirmed', async () => {
    inRow('bob@example.com', 'user-delete').click();
    await settle();
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone({ method: 'DELETE' });

    inRow('bob@example.com', 'user-delete').click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/users/u-3' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle();

    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[data-testid="user-row-bob@example.com"]'),
    ).toBeNull();
    expect(snackBarText()).toContain('bob@example.com удалён.');
  });

  describe('create dialog', () => {
    async function openAndFill(email: string, password: string): Promise<void> {
      byTestId(fixture, 'users-create').click();
      await settle();
      typeInto(overlayTestId('user-email'), email);
      typeInto(overlayTestId('user-password'), password);
      await settle();
    }

    async function submit(): Promise<void> {
      overlayTestId('user-create-submit').click();
      await settle();
    }

    it('creates a user and adds the row', async () => {
      await openAndFill('new@example.com', 'Quiet-river-42');
      overlayTestId('user-create-role').click();
      await settle();
      overlayTestId('user-create-role-viewer').click();
      await submit();

      const req = backend.expectOne({ method: 'POST', url: '/api/v1/users' });
      expect(req.request.body).toEqual({
        email: 'new@example.com',
        password: 'Quiet-river-42',
        role: 'viewer',
      });
      req.flush(user({ id: 'u-9', email: 'new@example.com', role: 'viewer' }), {
        status: 201,
        statusText: 'Created',
      });
      await settle();

      expect(queryOverlayTestId('user-create-form')).toBeNull();
      expect(text(row('new@example.com'))).toContain('Наблюдатель');
      expect(snackBarText()).toContain('Пользователь new@example.com добавлен.');
    });

    it('checks the password policy before sending', async () => {
      await openAndFill('newbie@example.com', 'short');
      await submit();
      backend.expectNone('/api/v1/users');
      expect(text(document.querySelector('app-create-user-dialog'))).toContain(
        'Пароль слишком короткий: нужно не меньше 10 символов.',
      );

      typeInto(overlayTestId('user-password'), 'newbie-password-1');
      await submit();
      backend.expectNone('/api/v1/users');
      expect(text(document.querySelector('app-create-user-dialog'))).toContain(
        'В пароле не должно быть имени из адреса почты.',
      );
    });

    it('generates a strong password and shows it', async () => {
      await openAndFill('new@example.com', '');
      overlayTestId('user-password-generate').click();
      await settle();

      const input = overlayTestId('user-password') as HTMLInputElement;
      expect(input.value.length).toBe(20);
      expect(input.type).toBe('text');
      expect(text(document.querySelector('app-create-user-dialog'))).toContain('Пароль придуман');
    });

    it('marks the e-mail when it is already taken (409)', async () => {
      await openAndFill('anna@example.com', 'Quiet-river-42');
      await submit();
      backend.expectOne({ method: 'POST', url: '/api/v1/users' }).flush(
        {
          type: 'urn:problem-type:email-taken',
          title: 'Conflict',
          status: 409,
          detail: 'A user with this e-mail already exists.',
        },
        { status: 409, statusText: 'Conflict' },
      );
      await settle();

      expect(queryOverlayTestId('user-create-form')).not.toBeNull();
      expect(text(document.querySelector('app-create-user-dialog mat-error'))).toBe(
        'Пользователь с такой почтой уже есть.',
      );
    });

    it('translates the server validation codes instead of showing its English text', async () => {
      await openAndFill('new@example.com', 'Quiet-river-42');
      await submit();
      backend.expectOne({ method: 'POST', url: '/api/v1/users' }).flush(
        {
          type: 'urn:problem-type:validation-error',
          title: 'Validation failed',
          status: 400,
          detail: 'The password is too simple: use more different characters.',
          errors: [
            {
              field: 'password',
              code: 'passwordTooSimple',
              message: 'The password is too simple: use more different characters.',
            },
            { field: 'email', code: 'isEmail', message: 'email must be an e-mail address' },
          ],
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle();

      const dialog = text(document.querySelector('app-create-user-dialog'));
      expect(dialog).toContain('Пароль слишком простой: возьмите больше разных символов.');
      expect(dialog).toContain('Адрес почты выглядит неправильно');
      expect(dialog).not.toContain('too simple');

      TestBed.inject(I18nService).setLang('en');
      await settle();
      expect(text(document.querySelector('app-create-user-dialog'))).toContain(
        'The password is too simple: use more different characters.',
      );
    });
  });
});
