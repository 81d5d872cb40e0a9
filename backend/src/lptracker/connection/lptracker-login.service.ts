import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { LimiterLane } from '../../redis/rate-limiter';
import { RedisLock } from '../../redis/redis-lock';
import { REDIS } from '../../redis/redis.module';
import { readToken } from '../client/lptracker-read';
import { LptrackerTransport } from '../client/lptracker-transport';
import { LPTRACKER_SERVICE_NAME } from '../lptracker.constants';
import {
  LptrackerApiError,
  LptrackerNeedsReauthError,
  LptrackerNotConnectedError,
  LptrackerUnavailableError,
} from '../lptracker.problems';
import { LptrackerConnectionsRepository } from './lptracker-connections.repository';
import { LptrackerCredentialsService, type LptrackerSession } from './lptracker-credentials.service';

/** How long one login may hold the lock, and how long others wait for it. */
const LOGIN_LOCK_TTL_MS = 30_000;
const WAIT_FOR_OTHER_LOGIN_MS = 30_000;

export type LoginResult = { ok: true; token: string } | { ok: false; code: number | null; message: string };

/**
 * Logging in to LPTracker. A token dies after 24 h idle; when LPTracker refuses it, exactly one process logs in
 * again while the others wait: a per-process promise per (connection, token version), then a Redis lock across
 * processes, then the stored token version is read again (another process may have logged in already). The new
 * token is stored sealed with a bumped version before anyone uses it.
 */
@Injectable()
export class LptrackerLoginService {
  private readonly logger = new Logger('Lptracker');
  private readonly inFlight = new Map<string, Promise<LptrackerSession>>();

  constructor(
    private readonly credentials: LptrackerCredentialsService,
    private readonly connections: LptrackerConnectionsRepository,
    private readonly transport: LptrackerTransport,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** `POST /login`: a token, or LPTracker's refusal (wrong login or password). Throws when LPTracker is unavailable. */
  async login(login: string, password: string, lane: LimiterLane = 'interactive'): Promise<LoginResult> {
    try {
      const answer = await this.transport.call({
        accountKey: this.credentials.accountKey(login),
        lane,
        method: 'POST',
        url: `${this.credentials.baseUrl}/login`,
        body: { login, password, service: LPTRACKER_SERVICE_NAME, version: '1.0' },
        token: () => null,
      });
      if (answer.kind === 'unauthorized') return { ok: false, code: 401, message: answer.message };
      const token = readToken(answer.result);
      if (!token) throw new LptrackerUnavailableError('LPTracker answered the login without a token.');
      return { ok: true, token };
    } catch (error) {
      if (error instanceof LptrackerApiError)
        return { ok: false, code: error.lptrackerCode, message: error.lptrackerMessage };
      throw error;
    }
  }

  /**
   * A session whose token is newer than `seen`'s: logged in here, or by another process meanwhile. The login goes
   * in the interactive lane whatever the caller's (every waiting call depends on it, and its time budget stays
   * within the lock's lifetime).
   */
  tokenAfter(seen: LptrackerSession): Promise<LptrackerSession> {
    const key = `${seen.id}:${seen.tokenVersion}`;
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.loginAcrossProcesses(seen).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private async loginAcrossProcesses(seen: LptrackerSession): Promise<LptrackerSession> {
    const newer = await this.newerThan(seen);
    if (newer) return newer;
    const lock = await RedisLock.acquire(this.redis, `lptracker:login:{${seen.id}}`, LOGIN_LOCK_TTL_MS, {
      deadline: Date.now() + WAIT_FOR_OTHER_LOGIN_MS,
      pause: (attempt) => Math.min(200, 25 * (attempt + 1)),
    });
    if (!lock)
      throw new LptrackerUnavailableError(
        'Another process is logging in to LPTracker and has not finished.',
        10,
      );
    try {
      const current = requireStored(await this.credentials.load(seen.workspaceId), seen);
      if (current.tokenVersion !== seen.tokenVersion) return usable(current);
      return await this.loginNow(current);
    } finally {
      await lock.release();
    }
  }

  /** The stored session when its token is newer than `seen`'s (another process logged in). */
  private async newerThan(seen: LptrackerSession): Promise<LptrackerSession | null> {
    const current = requireStored(await this.credentials.load(seen.workspaceId), seen);
    return current.tokenVersion !== seen.tokenVersion ? usable(current) : null;
  }

  private async loginNow(session: LptrackerSession): Promise<LptrackerSession> {
    const stored = usable(session);
    const result = await this.login(stored.login, stored.password ?? '', 'interactive');
    if (!result.ok) {
      const reason = `LPTracker refused the stored login and password (${result.code ?? 'error'}: ${result.message})`;
      if (
        await this.connections.markNeedsReauth(stored.workspaceId, stored.id, stored.tokenVersion, reason)
      ) {
        this.logger.error(
          { workspaceId: stored.workspaceId, code: result.code },
          'LPTracker connection needs re-authorisation',
        );
      }
      throw new LptrackerNeedsReauthError(`${reason}: an admin must reconnect LPTracker.`);
    }
    const at = new Date();
    const sealed = this.credentials.seal(stored.id, 'token', result.token);
    if (
      !(await this.connections.storeToken(stored.workspaceId, stored.id, stored.tokenVersion, sealed, at))
    ) {
      // changed meanwhile (a reconnect): use what is stored now
      return usable(requireStored(await this.credentials.load(stored.workspaceId), stored));
    }
    this.logger.log({ workspaceId: stored.workspaceId }, 'logged in to LPTracker again');
    return usable(requireStored(await this.credentials.load(stored.workspaceId), stored));
  }
}

function requireStored(current: LptrackerSession | null, seen: LptrackerSession): LptrackerSession {
  if (!current || current.id !== seen.id) throw new LptrackerNotConnectedError();
  return current;
}

/** The session when its status allows calls; else the typed error. */
export function usable(session: LptrackerSession | null): LptrackerSession {
  if (!session || session.status === 'not_connected' || !session.password)
    throw new LptrackerNotConnectedError();
  if (session.status === 'needs_reauth') {
    throw new LptrackerNeedsReauthError(
      `LPTracker refused the stored login and password${session.lastError ? ` (${session.lastError})` : ''}: an admin must reconnect LPTracker.`,
    );
  }
  return session;
}
