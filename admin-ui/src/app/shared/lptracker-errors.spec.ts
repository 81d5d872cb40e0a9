import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { I18nService } from '../core/i18n/i18n.service';
import { lptrackerActionErrorMessage, lptrackerLastErrorKey } from './lptracker-errors';

describe('LPTracker errors in plain words', () => {
  const t: I18nService['t'] = (key, params) => TestBed.inject(I18nService).t(key, params);

  beforeEach(() => localStorage.clear());

  it.each([
    [
      'LPTracker refused the stored login and password (401: bad): an admin must reconnect LPTracker.',
      'LPTracker не принял логин или пароль. Подключите заново.',
    ],
    [
      'LPTracker kept refusing for rate (error 503): try again shortly.',
      'Слишком много запросов к LPTracker: он просил подождать.',
    ],
    [
      'LPTracker could not be reached (timed out: socket hang up).',
      'LPTracker не отвечал или был недоступен.',
    ],
    ['LPTracker is unavailable (HTTP 502).', 'LPTracker не отвечал или был недоступен.'],
    ['LPTracker answered 404 to /lead/1: not found', 'LPTracker отклонил запрос.'],
  ])('words «%s»', (lastError, words) => {
    const key = lptrackerLastErrorKey(lastError);
    expect(key === null ? null : t(key)).toBe(words);
  });

  it('leaves an error it does not know as it is (null)', () => {
    expect(lptrackerLastErrorKey('Something new happened')).toBeNull();
  });

  it('words a refused LPTracker request and an outage with its wait', () => {
    const refused = new HttpErrorResponse({
      status: 502,
      error: { type: 'urn:problem-type:lptracker-error', title: 'x', status: 502 },
    });
    expect(lptrackerActionErrorMessage(refused, t)).toBe('LPTracker отклонил запрос.');
    const down = new HttpErrorResponse({
      status: 503,
      headers: new HttpHeaders({ 'Retry-After': '12' }),
      error: { type: 'urn:problem-type:lptracker-unavailable', title: 'x', status: 503 },
    });
    expect(lptrackerActionErrorMessage(down, t)).toBe('LPTracker сейчас недоступен, попробуйте через 12 с');
  });
});
