import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { FormControl, FormGroup } from '@angular/forms';

import { I18nService } from '../i18n/i18n.service';
import { applyProblemToForm, controlErrorText, translatedFieldErrors } from './field-errors';

function validationProblem(errors: { field: string; code?: string; message: string }[]): HttpErrorResponse {
  return new HttpErrorResponse({
    status: 400,
    error: {
      type: 'urn:problem-type:validation-error',
      title: 'Validation failed',
      status: 400,
      detail: 'x',
      errors,
    },
  });
}

describe('field errors', () => {
  const t: I18nService['t'] = (key, params) => TestBed.inject(I18nService).t(key, params);

  beforeEach(() => localStorage.clear());

  it('words the backend rule codes in Russian, and in English after a switch', () => {
    const error = validationProblem([
      { field: 'email', code: 'isEmail', message: 'email must be an e-mail address' },
      { field: 'name', code: 'maxLength', message: 'name must be shorter than or equal to 100 characters' },
      { field: 'role', code: 'isIn', message: 'role must be one of viewer, manager, admin' },
      {
        field: 'password',
        code: 'passwordContainsEmail',
        message: 'The password must not contain the e-mail name.',
      },
      { field: 'x', code: 'unknownField', message: 'x is not an accepted field' },
    ]);

    expect(translatedFieldErrors(error, t)).toEqual({
      email: 'Адрес почты выглядит неправильно, например: name@example.com',
      name: 'Слишком длинно: не больше 100 символов.',
      role: 'Выберите значение из списка.',
      password: 'В пароле не должно быть имени из адреса почты.',
      x: 'Сервер не знает поле «x». Обновите страницу.',
    });

    TestBed.inject(I18nService).setLang('en');
    expect(translatedFieldErrors(error, t)['name']).toBe('Too long: at most 100 characters.');
  });

  it('keeps the backend message for a code it does not know', () => {
    const error = validationProblem([{ field: 'iban', code: 'isIBAN', message: 'iban must be an IBAN' }]);
    expect(translatedFieldErrors(error, t)).toEqual({ iban: 'iban must be an IBAN' });
  });

  it('puts the errors on the form controls and tells whether they explain the failure', () => {
    const form = new FormGroup({ email: new FormControl('a'), password: new FormControl('b') });
    const error = validationProblem([
      { field: 'password', code: 'passwordTooSimple', message: 'too simple' },
    ]);

    expect(applyProblemToForm(form, error)).toBe(true);
    expect(form.controls.password.touched).toBe(true);
    expect(controlErrorText(form.controls.password.errors, t)).toBe(
      'Пароль слишком простой: возьмите больше разных символов.',
    );

    const unmatched = validationProblem([{ field: 'workspaceId', code: 'isUuid', message: 'bad id' }]);
    expect(applyProblemToForm(form, unmatched)).toBe(false);
    expect(applyProblemToForm(form, new HttpErrorResponse({ status: 500 }))).toBe(false);
  });

  it('words Angular validators the same way', () => {
    expect(controlErrorText({ required: true }, t)).toBe('Заполните это поле.');
    expect(controlErrorText({ maxlength: { requiredLength: 120, actualLength: 130 } }, t)).toBe(
      'Слишком длинно: не больше 120 символов.',
    );
    expect(controlErrorText({ server: 'Already taken' }, t)).toBe('Already taken');
    expect(controlErrorText(null, t)).toBeNull();
  });
});
