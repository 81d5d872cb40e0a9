import { AmocrmApiError } from '../amocrm/amocrm.problems';
import { AmocrmRefusedProblem } from '../sync/sync.problems';
import { ConflictProblem, ServiceUnavailableProblem, ValidationProblem } from '../http/problem';
import { InboxPermanentError } from '../inbox/source-adapter';
import { LptrackerSyncRefused } from '../sync/lptracker/lptracker-sync.types';
import { permanentIfRefused } from './lptracker-inbound.service';

describe('LPTracker sync failures: permanent or retried', () => {
  it('a refusal of the data fails the event at once, with the reason and the fields', () => {
    const refused = permanentIfRefused(new LptrackerSyncRefused('amoCRM cannot take this lead'));
    expect(refused).toBeInstanceOf(InboxPermanentError);
    expect((refused as Error).message).toBe('amoCRM cannot take this lead');
    const invalid = permanentIfRefused(
      new ValidationProblem([
        { field: 'customFields[0].values[0].value', code: 'x', message: 'not a number' },
      ]),
    );
    expect(invalid).toBeInstanceOf(InboxPermanentError);
    expect((invalid as Error).message).toContain('customFields[0].values[0].value: not a number');
  });

  it('unavailable, conflicts and plain errors are thrown again as they are (retried)', () => {
    for (const error of [
      new ServiceUnavailableProblem('amoCRM is unreachable', 5),
      new ConflictProblem('busy'),
      new Error('socket hang up'),
    ])
      expect(permanentIfRefused(error)).toBe(error);
  });

  it('amoCRM answering 400 is permanent; 401, 429 and 5xx are retried', () => {
    const bad = permanentIfRefused(new AmocrmApiError(400, 'Bad Request'));
    expect(bad).toBeInstanceOf(InboxPermanentError);
    expect((bad as Error).message).toContain('amoCRM answered 400');
    for (const status of [401, 429, 500, 504]) {
      const error = new AmocrmApiError(status, 'later');
      expect(permanentIfRefused(error)).toBe(error);
    }
  });

  it('amoCRM refusing the data (422) is permanent', () => {
    const refused = permanentIfRefused(
      new AmocrmRefusedProblem([], [{ field: 'name', code: 'NotBlank', message: 'amoCRM wants a name' }]),
    );
    expect(refused).toBeInstanceOf(InboxPermanentError);
    expect((refused as Error).message).toContain('name: amoCRM wants a name');
  });
});
