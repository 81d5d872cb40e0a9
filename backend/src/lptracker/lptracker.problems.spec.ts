import {
  LptrackerApiError,
  LptrackerCallbackNotRetriedError,
  LptrackerError,
  LptrackerNeedsReauthError,
  LptrackerNotConnectedError,
  LptrackerUnavailableError,
  unknownProject,
} from './lptracker.problems';

describe('LPTracker errors as HTTP answers', () => {
  it('answers 503 problem+json with Retry-After when LPTracker cannot be used now', () => {
    for (const error of [
      new LptrackerNotConnectedError(),
      new LptrackerNeedsReauthError(),
      new LptrackerUnavailableError('LPTracker could not be reached', 7),
    ]) {
      expect(error.getStatus()).toBe(503);
      expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
      expect(error.problem.type).toMatch(/^urn:problem-type:lptracker-/);
    }
    expect(new LptrackerUnavailableError('x', 7).headers['Retry-After']).toBe('7');
    const notConnected = new LptrackerNotConnectedError();
    expect(notConnected).toBeInstanceOf(LptrackerError);
    expect([notConnected.name, notConnected.headers['Retry-After']]).toEqual([
      'LptrackerNotConnectedError',
      '300',
    ]);
    expect(notConnected.problem).toMatchObject({
      type: 'urn:problem-type:lptracker-not-connected',
      title: 'LPTracker is not connected',
      detail: 'LPTracker is not connected for this workspace: an admin connects it under Connections.',
    });
    expect(new LptrackerNeedsReauthError().problem).toMatchObject({
      type: 'urn:problem-type:lptracker-needs-reauth',
      title: 'LPTracker needs to be reconnected',
      detail: 'LPTracker refused the stored login and password: an admin must reconnect LPTracker.',
    });
    const unavailable = new LptrackerUnavailableError('timed out', undefined, true);
    expect([unavailable.outcomeUnknown, unavailable.headers['Retry-After']]).toEqual([true, '30']);
    expect(unavailable.problem).toMatchObject({
      type: 'urn:problem-type:lptracker-unavailable',
      title: 'LPTracker is unavailable',
    });
    expect(new LptrackerUnavailableError('x').retryable).toBe(true);
    expect(new LptrackerNeedsReauthError().retryable).toBe(false);
  });

  it('answers 502 naming LPTracker’s code for a refused request, and never calls it retryable', () => {
    const error = new LptrackerApiError(404, 'Project not found', '/project/5/customs');
    expect(error.getStatus()).toBe(502);
    expect(error.problem).toMatchObject({
      lptrackerCode: 404,
      detail: expect.stringContaining('Project not found'),
    });
    expect(error.retryable).toBe(false);
  });

  it('says a phone-call request was not repeated, and whether it may have arrived', () => {
    const error = new LptrackerCallbackNotRetriedError(new LptrackerUnavailableError('timed out'), true);
    expect(error.getStatus()).toBe(502);
    expect(error.retryable).toBe(false);
    expect(error.problem).toMatchObject({
      mayHaveArrived: true,
      detail: expect.stringContaining('never repeated'),
    });
  });

  it('names projectId and the projects the login does see for an unknown project', () => {
    const problem = unknownProject('sales@example.ru', 9, [{ id: 1, name: 'Сайт' }]);
    expect(problem.getStatus()).toBe(400);
    expect(problem.problem.errors).toEqual([
      expect.objectContaining({ field: 'projectId', message: expect.stringContaining('1 «Сайт»') }),
    ]);
  });
});
