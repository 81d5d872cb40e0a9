import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { byTestId, makeUser, queryTestId, registerIcons, text, typeInto } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import LoginPage from './login-page';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let backend: HttpTestingController;
  let navigateByUrl: ReturnType<typeof vi.spyOn>;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    navigateByUrl = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  async function submit(email: string, password: string): Promise<void> {
    typeInto(byTestId(fixture, 'login-email'), email);
    typeInto(byTestId(fixture, 'login-password'), password);
    byTestId(fixture, 'login-submit').click();
    await fixture.whenStable();
  }

  async function answer(status: number, headers: Record<string, string> = {}): Promise<void> {
    backend
      .expectOne('/api/v1/auth/login')
      .flush({ title: 'x', status }, { status, statusText: 'Error', headers });
    await fixture.whenStable();
  }

  it('asks for the email and the password, in Russian, without calling the server', async () => {
    byTestId(fixture, 'login-submit').click();
    await fixture.whenStable();

    const page = text(fixture.nativeElement as Element);
    expect(page).toContain('Введите адрес почты');
    expect(page).toContain('Введите пароль');
    backend.expectNone('/api/v1/auth/login');
  });

  it('points out a malformed email', async () => {
    await submit('anna.example.com', 'secret');
    expect(text(fixture.nativeElement as Element)).toContain('Адрес почты выглядит неправильно');
    backend.expectNone('/api/v1/auth/login');
  });

  it('says "wrong email or password" on 401, without telling which', async () => {
    await submit('anna@example.com', 'wrong');
    await answer(401);

    expect(text(byTestId(fixture, 'login-error'))).toBe('Неверная почта или пароль.');
    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(false);
  });

  it('tells how many minutes to wait when locked out (429)', async () => {
    await submit('anna@example.com', 'wrong');
    await answer(429, { 'Retry-After': '300' });

    expect(text(byTestId(fixture, 'login-error'))).toBe('Слишком много попыток, попробуйте через 5 мин.');
  });

  it('says the server is unreachable on a network error', async () => {
    await submit('anna@example.com', 'secret');
    backend.expectOne('/api/v1/auth/login').error(new ProgressEvent('error'));
    await fixture.whenStable();

    expect(text(byTestId(fixture, 'login-error'))).toBe(
      'Сервер недоступен. Проверьте подключение и попробуйте ещё раз.',
    );
  });

  it('translates the error when the language is switched', async () => {
    await submit('anna@example.com', 'wrong');
    await answer(401);

    TestBed.inject(I18nService).setLang('en');
    await fixture.whenStable();

    expect(text(byTestId(fixture, 'login-error'))).toBe('Wrong email or password.');
  });

  it('signs in and goes to the return URL', async () => {
    fixture.componentRef.setInput('returnUrl', '/contacts?page=2');
    await submit(' anna@example.com ', 'secret');

    const req = backend.expectOne('/api/v1/auth/login');
    expect(req.request.body).toEqual({ email: 'anna@example.com', password: 'secret' });
    req.flush({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: makeUser('admin') });
    await fixture.whenStable();

    expect(TestBed.inject(AuthService).user()?.email).toBe('admin@example.com');
    expect(navigateByUrl).toHaveBeenCalledWith('/contacts?page=2');
    expect(queryTestId(fixture, 'login-error')).toBeNull();
  });

  it('never follows a return URL to another site', async () => {
    fixture.componentRef.setInput('returnUrl', '//evil.example.com');
    await submit('anna@example.com', 'secret');
    backend
      .expectOne('/api/v1/auth/login')
      .flush({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: makeUser('admin') });
    await fixture.whenStable();

    expect(navigateByUrl).toHaveBeenCalledWith('/');
  });
});
