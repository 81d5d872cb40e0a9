import { AmocrmApiError, AmocrmUnavailableError } from '../../amocrm/amocrm.problems';
import { ConflictProblem, ValidationProblem } from '../../http/problem';
import {
  LptrackerApiError,
  LptrackerCallbackNotRetriedError,
  LptrackerNeedsReauthError,
  LptrackerNotConnectedError,
  LptrackerUnavailableError,
} from '../../lptracker/lptracker.problems';
import { LptrackerSyncRefused } from './lptracker-sync.types';
import { refusalReason } from './sync-refusal';

describe('refusalReason', () => {
  it('gives the sync’s own refusal as it is', () => {
    expect(refusalReason(new LptrackerSyncRefused('no phone'))).toBe('no phone');
  });

  it('takes amoCRM 4xx as final, except auth, payment, conflict and limits', () => {
    expect(refusalReason(new AmocrmApiError(400, 'bad field'))).toBe('amoCRM answered 400: bad field');
    for (const status of [401, 402, 403, 408, 409, 423, 429, 500, 504])
      expect(refusalReason(new AmocrmApiError(status, 'later'))).toBeNull();
    expect(refusalReason(new AmocrmUnavailableError('down'))).toBeNull();
  });

  it('takes the engine’s 4xx problems as final, with their fields', () => {
    const problem = new ValidationProblem(
      [{ field: 'price', message: 'not a number', code: 'type' }],
      'Bad.',
    );
    expect(refusalReason(problem)).toBe('Bad.; price: not a number');
    expect(refusalReason(new ConflictProblem('busy'))).toBeNull();
  });

  describe('LPTracker', () => {
    it.each([400, 404, 422])('takes a refusal of the data with code %i as final, with its reason', (code) => {
      const error = new LptrackerApiError(code, 'Lead not found', '/lead/7');
      expect(refusalReason(error)).toBe(`LPTracker answered ${code} to /lead/7: Lead not found`);
    });

    it.each([401, 402, 403, 408, 409, 423, 429, 500, 503])('retries a refusal with code %i', (code) => {
      expect(refusalReason(new LptrackerApiError(code, 'later', '/lead'))).toBeNull();
    });

    it('retries a refusal without a code (a bare message, an unexpected answer)', () => {
      expect(refusalReason(new LptrackerApiError(null, 'Token is invalid', '/lead'))).toBeNull();
    });

    it('retries token, limit, outage and connection errors', () => {
      expect(refusalReason(new LptrackerUnavailableError('error 503: try again shortly', 5))).toBeNull();
      expect(
        refusalReason(new LptrackerUnavailableError('LPTracker refused the token (401).', 5)),
      ).toBeNull();
      expect(refusalReason(new LptrackerNeedsReauthError())).toBeNull();
      expect(refusalReason(new LptrackerNotConnectedError())).toBeNull();
    });

    it('retries the event of a call request that was not repeated, even when its failure was a refusal', () => {
      const refused = new LptrackerApiError(400, 'bad phone', '/lead');
      expect(refusalReason(new LptrackerCallbackNotRetriedError(refused, true))).toBeNull();
      const limited = new LptrackerUnavailableError('error 503', 5);
      expect(refusalReason(new LptrackerCallbackNotRetriedError(limited, false))).toBeNull();
    });
  });

  it('retries plain errors', () => {
    expect(refusalReason(new Error('socket hang up'))).toBeNull();
    expect(refusalReason('text')).toBeNull();
  });
});
