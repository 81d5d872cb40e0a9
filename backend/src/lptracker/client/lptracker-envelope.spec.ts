import { firstError, placesPhoneCall, readLptrackerAnswer } from './lptracker-envelope';

const json = (value: unknown): string => JSON.stringify(value);

describe('LPTracker answers', () => {
  it('takes `result` of a success envelope, and a bare array as the result itself', () => {
    expect(readLptrackerAnswer(200, json({ status: 'success', result: { token: 'abc' } }))).toEqual({
      kind: 'ok',
      result: { token: 'abc' },
    });
    expect(readLptrackerAnswer(200, json([{ id: 1, name: 'Сайт' }]))).toEqual({
      kind: 'ok',
      result: [{ id: 1, name: 'Сайт' }],
    });
  });

  it('treats `{status:"error"}` as an error even with HTTP 200', () => {
    expect(
      readLptrackerAnswer(
        200,
        json({ status: 'error', errors: [{ code: 404, message: 'Project not found' }] }),
      ),
    ).toEqual({ kind: 'refused', code: 404, message: 'Project not found' });
  });

  it('reads code 401 in an HTTP 200 as a refused token, and code 503 (JSON or HTTP) as a rate refusal', () => {
    expect(
      readLptrackerAnswer(
        200,
        json({ status: 'error', errors: [{ code: 401, message: 'Token is expired' }] }),
      ),
    ).toEqual({ kind: 'unauthorized', message: 'Token is expired' });
    expect(
      readLptrackerAnswer(200, json({ status: 'error', errors: [{ code: 503, message: 'Too many' }] })).kind,
    ).toBe('rate_limited');
    expect(
      readLptrackerAnswer(503, json({ status: 'error', errors: [{ code: 503, message: 'Too many' }] })).kind,
    ).toBe('rate_limited');
    expect(readLptrackerAnswer(503, '<html>Service Unavailable</html>').kind).toBe('rate_limited');
  });

  it('accepts a bare string as errors[0], with or without a leading code', () => {
    expect(readLptrackerAnswer(200, json({ status: 'error', errors: ['401'] })).kind).toBe('unauthorized');
    expect(readLptrackerAnswer(200, json({ status: 'error', errors: ['Wrong login or password'] }))).toEqual({
      kind: 'refused',
      code: null,
      message: 'Wrong login or password',
    });
    expect(firstError(['503 Service Unavailable'])).toEqual({
      code: 503,
      message: '503 Service Unavailable',
    });
    expect(firstError([{ code: '400', message: 'bad' }])).toEqual({ code: 400, message: 'bad' });
    expect(firstError(undefined)).toEqual({ code: null, message: 'no details' });
  });

  it('calls a 5xx or an answer that is not JSON "unavailable", never a success', () => {
    expect(readLptrackerAnswer(502, '<html>Bad gateway</html>').kind).toBe('unavailable');
    expect(readLptrackerAnswer(200, '<html>maintenance</html>').kind).toBe('unavailable');
    expect(readLptrackerAnswer(200, '').kind).toBe('unavailable');
  });

  it('knows which bodies place a phone call', () => {
    expect(placesPhoneCall({ name: 'Lead', callback: true })).toBe(true);
    expect(placesPhoneCall({ name: 'Lead', callback: 1 })).toBe(true);
    expect(placesPhoneCall({ name: 'Lead', callback: false })).toBe(false);
    expect(placesPhoneCall({ name: 'Lead' })).toBe(false);
    expect(placesPhoneCall(undefined)).toBe(false);
  });
});
