import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';

import { contact, problem } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
  settle,
} from '../../testing/overlay-helpers';
import { makeUser, registerIcons, storeSession, text, typeInto } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { ContactCreateDialog } from './contact-create-dialog';
import type { FoundOrCreatedContact } from '../shared/records/contacts.models';

describe('ContactCreateDialog', () => {
  let backend: HttpTestingController;
  let result: Promise<FoundOrCreatedContact | undefined>;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeUser('manager'));
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
    const ref = TestBed.inject(MatDialog).open<ContactCreateDialog, void, FoundOrCreatedContact>(
      ContactCreateDialog,
    );
    result = new Promise((resolve) => ref.afterClosed().subscribe(resolve));
    await settle();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  async function fill(values: { name?: string; phone?: string; email?: string }): Promise<void> {
    for (const [field, value] of Object.entries(values)) {
      typeInto(overlayTestId(`contact-form-${field}`), value);
    }
    overlayTestId('contact-form-submit').click();
    await settle();
  }

  function errorOf(field: string): string {
    return text(queryOverlayTestId(`contact-form-${field}-error`));
  }

  it('checks the fields in Russian before sending anything', async () => {
    await fill({ name: '', phone: '12-34', email: 'ivan@' });
    expect(errorOf('name')).toBe('Заполните это поле.');
    expect(errorOf('phone')).toBe('Неверный номер телефона.');
    expect(errorOf('email')).toBe('Адрес почты выглядит неправильно, например: name@example.com');
    backend.expectNone('/api/v1/contacts');
  });

  it('asks for a phone or an e-mail: the contact is found by them', async () => {
    await fill({ name: 'Иван' });
    expect(text(overlayTestId('contact-form-phone-or-email'))).toBe(
      'Укажите телефон или e-mail: по ним контакт ищется в amoCRM.',
    );
    backend.expectNone('/api/v1/contacts');
  });

  it('refuses a name longer than 255 characters', async () => {
    await fill({ name: 'Я'.repeat(256), phone: '+7 916 123-45-67' });
    expect(errorOf('name')).toBe('Слишком длинно: не больше 255 символов.');
    backend.expectNone('/api/v1/contacts');
  });

  it('sends only what was filled in and closes with the answer', async () => {
    await fill({ name: '  Иван Петров ', phone: '8 916 123-45-67' });
    const req = backend.expectOne({ method: 'POST', url: '/api/v1/contacts' });
    expect(req.request.body).toEqual({ name: 'Иван Петров', phone: '8 916 123-45-67' });
    const created = { ...contact({ id: 'c-1', name: 'Иван Петров' }), created: true };
    req.flush(created, { status: 201, statusText: 'Created' });
    expect(await result).toEqual(created);
  });

  it('puts the server’s field errors on the fields', async () => {
    await fill({ name: 'Иван', phone: '+7 999 000-00-00', email: 'ivan@example.ru' });
    backend.expectOne({ method: 'POST', url: '/api/v1/contacts' }).flush(
      ...problem(400, {
        errors: [
          { field: 'phone', message: 'phone must be a valid phone number', code: 'invalidPhone' },
          { field: 'email', message: 'email must be an e-mail address', code: 'isEmail' },
        ],
      }),
    );
    await settle();
    expect(errorOf('phone')).toBe('Неверный номер телефона.');
    expect(errorOf('email')).toBe('Адрес почты выглядит неправильно, например: name@example.com');
    expect(queryOverlayTestId('contact-form-error')).toBeNull();
  });

  it('words a phone the server refused in its own words as an invalid phone', async () => {
    await fill({ name: 'Иван', phone: '+7 999 000-00-00' });
    backend
      .expectOne({ method: 'POST', url: '/api/v1/contacts' })
      .flush(...problem(400, { errors: [{ field: 'phone', message: 'phone is not a phone number' }] }));
    await settle();
    expect(errorOf('phone')).toBe('Неверный номер телефона.');
  });

  it('keeps the form when amoCRM is unavailable and says when to try again', async () => {
    await fill({ name: 'Иван', phone: '+7 916 123-45-67' });
    backend
      .expectOne({ method: 'POST', url: '/api/v1/contacts' })
      .flush(...problem(503, { type: 'urn:problem-type:amocrm-unavailable' }, { 'Retry-After': '12' }));
    await settle();
    expect(text(overlayTestId('contact-form-error'))).toBe('amoCRM сейчас недоступна, попробуйте через 12 с');
    expect((overlayTestId('contact-form-name') as HTMLInputElement).value).toBe('Иван');
    expect((overlayTestId('contact-form-phone') as HTMLInputElement).value).toBe('+7 916 123-45-67');
  });
});
