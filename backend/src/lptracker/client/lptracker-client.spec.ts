import type {
  LptrackerCredentialsService,
  LptrackerSession,
} from '../connection/lptracker-credentials.service';
import type { LptrackerLoginService } from '../connection/lptracker-login.service';
import {
  LptrackerCallbackNotRetriedError,
  LptrackerNeedsReauthError,
  LptrackerNotConnectedError,
  LptrackerUnavailableError,
} from '../lptracker.problems';
import { LptrackerClient } from './lptracker-client';
import type { LptrackerAnswer, LptrackerCall, LptrackerTransport } from './lptracker-transport';

const session = (over: Partial<LptrackerSession> = {}): LptrackerSession => ({
  id: 'c1',
  workspaceId: 'w1',
  baseUrl: 'http://lp.test',
  login: 'sales@example.ru',
  accountKey: 'key',
  status: 'connected',
  lastError: null,
  tokenVersion: 1,
  password: 'secret',
  token: 'old-token',
  ...over,
});

/** A client over a stored session, scripted transport answers and a login that issues `new-token`. */
function setup(answers: (LptrackerAnswer | Error)[], stored: LptrackerSession | null = session()) {
  const tokensSent: (string | null)[] = [];
  const recordedErrors: string[] = [];
  let relogins = 0;
  let newest = stored;
  const credentials = {
    baseUrl: 'http://lp.test',
    load: () => Promise.resolve(stored),
    newestOf: (seen: LptrackerSession) => (newest && newest.tokenVersion > seen.tokenVersion ? newest : seen),
    accountKey: () => 'key',
    recordError: (_session: LptrackerSession, error: string) => {
      recordedErrors.push(error);
      return Promise.resolve();
    },
  } as unknown as LptrackerCredentialsService;
  const logins = {
    tokenAfter: (seen: LptrackerSession) => {
      relogins += 1;
      newest = { ...seen, token: 'new-token', tokenVersion: seen.tokenVersion + 1 };
      return Promise.resolve(newest);
    },
  } as unknown as LptrackerLoginService;
  const transport = {
    call: async (call: LptrackerCall) => {
      tokensSent.push(await call.token());
      const answer = answers.shift();
      if (!answer) throw new Error('no more scripted answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as LptrackerTransport;
  return {
    client: new LptrackerClient(credentials, logins, transport),
    tokensSent,
    recordedErrors,
    relogins: () => relogins,
  };
}

const ok = (result: unknown): LptrackerAnswer => ({ kind: 'ok', result });
const expired: LptrackerAnswer = { kind: 'unauthorized', message: 'Token is expired' };

describe('LPTracker client: token and re-login rules', () => {
  it('logs in again once after a refused token and retries once with the new token', async () => {
    const { client, tokensSent, relogins } = setup([expired, ok([{ id: 7, name: 'Сайт' }])]);
    await expect(client.forWorkspace('w1').listProjects()).resolves.toEqual([
      { id: 7, name: 'Сайт', domain: null },
    ]);
    expect(tokensSent).toEqual(['old-token', 'new-token']);
    expect(relogins()).toBe(1);
  });

  it('does not loop when even the fresh token is refused: one re-login, then a 503', async () => {
    const { client, tokensSent, relogins } = setup([expired, expired, ok([])]);
    await expect(client.request('w1', 'sync', { method: 'GET', path: '/staff' })).rejects.toBeInstanceOf(
      LptrackerUnavailableError,
    );
    expect(tokensSent).toHaveLength(2);
    expect(relogins()).toBe(1);
  });

  it('never re-sends a request with callback: true after a refused token', async () => {
    const { client, tokensSent, relogins } = setup([expired, ok({ id: 1 })]);
    const body = { contact_id: 5, name: 'Перезвонить', callback: true };
    await expect(
      client.request('w1', 'interactive', { method: 'POST', path: '/lead', body }),
    ).rejects.toBeInstanceOf(LptrackerCallbackNotRetriedError);
    expect(tokensSent).toHaveLength(1);
    expect(relogins()).toBe(0);
  });

  it('answers typed errors at once for a workspace not connected or needing a reconnect', async () => {
    const none = setup([ok([])], null);
    await expect(none.client.forWorkspace('w1').listStaff()).rejects.toBeInstanceOf(
      LptrackerNotConnectedError,
    );
    const refused = setup([ok([])], session({ status: 'needs_reauth', lastError: 'wrong password' }));
    await expect(refused.client.forWorkspace('w1').listStaff()).rejects.toBeInstanceOf(
      LptrackerNeedsReauthError,
    );
    expect(none.tokensSent).toHaveLength(0);
    expect(refused.tokensSent).toHaveLength(0);
  });

  it('sends the newest token this process has seen, even when the call started with an older one', async () => {
    const { client, tokensSent } = setup([expired, ok([]), ok([])]);
    await client.forWorkspace('w1').listStaff(); // re-login: new-token is now the newest
    await client.forWorkspace('w1').listStaff(); // loads the stored old session, sends the newer token
    expect(tokensSent).toEqual(['old-token', 'new-token', 'new-token']);
  });

  it('records an outage as the connection’s last error (the console shows it) and throws it', async () => {
    const down = new LptrackerUnavailableError(
      'LPTracker could not be reached (connection failed: ECONNREFUSED).',
    );
    const { client, recordedErrors } = setup([down]);
    await expect(client.forWorkspace('w1').listStaff()).rejects.toBe(down);
    expect(recordedErrors).toEqual([down.message]);
  });
});
