import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { I18nService } from '../i18n/i18n.service';
import { describeHttpError, readRetryAfterSeconds } from './problem-details';

describe('describeHttpError', () => {
  const t: I18nService['t'] = (key, params) => TestBed.inject(I18nService).t(key, params);

  beforeEach(() => localStorage.clear());

  it('turns a validation problem into a message and field errors', () => {
    const error = new HttpErrorResponse({
      status: 422,
      error: {
        type: 'about:blank',
        title: 'Validation failed',
        status: 422,
        detail: 'Some fields are invalid',
        errors: [
          { field: 'phone', message: 'Неверный номер' },
          { field: 'email', message: 'Неверный адрес' },
        ],
      },
    });

    const described = describeHttpError(error, t);

    expect(described.message).toBe('Проверьте поля, отмеченные красным.');
    expect(described.fieldErrors).toEqual({ phone: 'Неверный номер', email: 'Неверный адрес' });
    expect(described.detail).toBe('Some fields are invalid');
  });

  it('explains an unreachable server, in the chosen language', () => {
    const error = new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') });
    expect(describeHttpError(error, t).message).toBe(
      'Сервер недоступен. Проверьте подключение и попробуйте ещё раз.',
    );
    TestBed.inject(I18nService).setLang('en');
    expect(describeHttpError(error, t).message).toBe(
      'The server is unreachable. Check your connection and try again.',
    );
  });

  it('says in plain words that the workspace was turned off (403 workspace-disabled), not a missing right', () => {
    const error = new HttpErrorResponse({
      status: 403,
      error: {
        type: 'urn:problem-type:workspace-disabled',
        status: 403,
        detail: 'This workspace has been turned off',
      },
    });
    expect(describeHttpError(error, t).message).toContain('Ваше пространство выключено');
    const other = new HttpErrorResponse({
      status: 403,
      error: { type: 'urn:problem-type:forbidden', status: 403 },
    });
    expect(describeHttpError(other, t).message).toBe('Для этого действия не хватает прав.');
  });

  it('tells how long to wait after a 429', () => {
    const error = new HttpErrorResponse({ status: 429, headers: new HttpHeaders({ 'Retry-After': '90' }) });
    expect(describeHttpError(error, t).message).toBe('Слишком много запросов, попробуйте через 2 мин.');
  });

  it('reads Retry-After given as a date', () => {
    const now = Date.parse('2025-01-01T10:00:00Z');
    const error = new HttpErrorResponse({
      status: 429,
      headers: new HttpHeaders({ 'Retry-After': 'Wed, 01 Jan 2025 10:10:00 GMT' }),
    });
    expect(readRetryAfterSeconds(error, now)).toBe(600);
  });

  it('parses a problem body that arrived as text', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: JSON.stringify({ title: 'Bad', status: 400, errors: [{ field: 'name', message: 'too long' }] }),
    });
    expect(describeHttpError(error, t).fieldErrors).toEqual({ name: 'too long' });
  });
});
