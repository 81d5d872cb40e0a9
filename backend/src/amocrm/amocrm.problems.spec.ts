import {
  AmocrmApiError,
  AmocrmError,
  AmocrmNeedsReauthError,
  AmocrmNotConnectedError,
  AmocrmPausedError,
  AmocrmUnavailableError,
  AmocrmValidationError,
} from './amocrm.problems';
import { validationIssues } from './client/amocrm-client';
import { jwtExpiry } from './connection/amocrm-connections.service';

describe('amoCRM errors as HTTP answers', () => {
  it('answers 503 problem+json with Retry-After when amoCRM cannot be used now', () => {
    for (const error of [
      new AmocrmNotConnectedError(),
      new AmocrmNeedsReauthError(),
      new AmocrmPausedError('blocked'),
      new AmocrmUnavailableError('amoCRM could not be reached', 42),
    ]) {
      expect(error.getStatus()).toBe(503);
      expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
      expect(error.problem.type).toMatch(/^urn:problem-type:amocrm-/);
      expect(error.problem.detail).not.toMatch(/\n\s+at /);
    }
    expect(new AmocrmUnavailableError('x', 42).headers['Retry-After']).toBe('42');
    const notConnected = new AmocrmNotConnectedError();
    expect(notConnected).toBeInstanceOf(AmocrmError);
    expect([notConnected.name, notConnected.retryable, notConnected.headers['Retry-After']]).toEqual([
      'AmocrmNotConnectedError',
      false,
      '300',
    ]);
    expect(notConnected.problem).toMatchObject({
      type: 'urn:problem-type:amocrm-not-connected',
      title: 'amoCRM is not connected',
      detail: 'amoCRM is not connected for this workspace: an admin connects it under Connections.',
    });
    expect(new AmocrmNeedsReauthError().problem).toMatchObject({
      type: 'urn:problem-type:amocrm-needs-reauth',
      title: 'amoCRM needs to be reconnected',
      detail: 'amoCRM refused the stored credentials: an admin must reconnect amoCRM.',
    });
    const unavailable = new AmocrmUnavailableError('timed out', undefined, true);
    expect(unavailable).toBeInstanceOf(AmocrmError);
    expect([unavailable.retryable, unavailable.outcomeUnknown, unavailable.headers['Retry-After']]).toEqual([
      true,
      true,
      '30',
    ]);
    expect(unavailable.problem).toMatchObject({ title: 'amoCRM is unavailable', detail: 'timed out' });
    expect(new AmocrmPausedError('payment_required').problem).toMatchObject({
      pausedReason: 'payment_required',
      detail: expect.stringContaining('402'),
    });
  });

  it('answers 422 listing each amoCRM path for validation errors, and says they are not retryable', () => {
    const error = new AmocrmValidationError([
      {
        requestId: '3',
        path: 'custom_fields_values.0.values.0.value',
        code: 'NotSupportedChoice',
        detail: 'Unknown enum',
      },
      { requestId: '7', path: '', code: 'InvalidType', detail: '' },
    ]);
    expect(error.getStatus()).toBe(422);
    expect(error.retryable).toBe(false);
    expect(error.problem.errors).toEqual([
      {
        field: '[3].custom_fields_values.0.values.0.value',
        message: 'Unknown enum',
        code: 'NotSupportedChoice',
      },
      { field: '[7]', message: 'InvalidType', code: 'InvalidType' },
    ]);
    expect(error.problem.amocrmErrors).toHaveLength(2);
    expect(new AmocrmUnavailableError('x').retryable).toBe(true);
  });

  it('answers 502 for answers amoCRM should not have given', () => {
    const error = new AmocrmApiError(404, 'Contact not found', 'abc123');
    expect(error.getStatus()).toBe(502);
    expect(error.problem).toMatchObject({ amocrmStatus: 404, amocrmRequestId: 'abc123' });
  });
});

describe('reading amoCRM answers', () => {
  it('flattens validation-errors to one issue per error', () => {
    const body = JSON.stringify({
      'validation-errors': [
        {
          request_id: '0',
          errors: [
            {
              code: 'NotSupportedChoice',
              path: 'custom_fields_values.6.values.0.value',
              detail: 'The value is not supported',
            },
          ],
        },
        {
          request_id: 5,
          errors: [
            { code: 'FieldMissing', path: 'name', detail: '' },
            { code: 'InvalidType', path: 'price' },
          ],
        },
      ],
      title: 'Bad Request',
      status: 400,
    });
    expect(validationIssues(body)).toEqual([
      {
        requestId: '0',
        path: 'custom_fields_values.6.values.0.value',
        code: 'NotSupportedChoice',
        detail: 'The value is not supported',
      },
      { requestId: '5', path: 'name', code: 'FieldMissing', detail: '' },
      { requestId: '5', path: 'price', code: 'InvalidType', detail: '' },
    ]);
    expect(validationIssues('{"title":"Bad Request","status":400}')).toBeUndefined();
    expect(validationIssues('<html>')).toBeUndefined();
  });

  it('reads the expiry of a JWT-shaped token, and nothing from other tokens', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_900_000_000 })).toString('base64url');
    expect(jwtExpiry(`eyJhbGciOiJSUzI1NiJ9.${payload}.signature`)?.toISOString()).toBe(
      new Date(1_900_000_000_000).toISOString(),
    );
    expect(jwtExpiry('demo-long-lived-token')).toBeNull();
    expect(jwtExpiry('a.bm90IGpzb24.c')).toBeNull();
  });
});
