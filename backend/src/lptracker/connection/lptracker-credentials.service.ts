import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import type { LptrackerConnectionEntity, LptrackerConnectionStatus } from './lptracker-connection.entity';
import { LptrackerConnectionsRepository } from './lptracker-connections.repository';

/** A stored connection with its secrets opened: what the client works with. Never logged. */
export interface LptrackerSession {
  id: string;
  workspaceId: string;
  baseUrl: string;
  login: string;
  /** Names the login in Redis (limiter, re-login lock). */
  accountKey: string;
  status: LptrackerConnectionStatus;
  lastError: string | null;
  tokenVersion: number;
  password: string | null;
  token: string | null;
}

type SealedColumn = 'password' | 'token';

/**
 * Reads and writes a connection's secrets: sealed with SecretBox (bound to the row and column), opened only in
 * memory. Keeps the newest token this process has seen, so a call that waited in the limiter sends the token
 * stored while it waited.
 */
@Injectable()
export class LptrackerCredentialsService {
  private readonly newest = new Map<string, LptrackerSession>();

  constructor(
    private readonly config: AppConfig,
    private readonly connections: LptrackerConnectionsRepository,
    private readonly box: SecretBox,
  ) {}

  get baseUrl(): string {
    return this.config.lptrackerBaseUrl;
  }

  async load(workspaceId: string): Promise<LptrackerSession | null> {
    const row = await this.connections.findByWorkspace(workspaceId);
    if (!row) return null;
    const session = this.open(row);
    const cached = this.newest.get(session.id);
    if (!cached || cached.tokenVersion <= session.tokenVersion) this.newest.set(session.id, session);
    return session;
  }

  /** The newest token of this connection seen by this process (the given session's if nothing newer). */
  newestOf(session: LptrackerSession): LptrackerSession {
    const cached = this.newest.get(session.id);
    return cached && cached.tokenVersion > session.tokenVersion ? cached : session;
  }

  seal(connectionId: string, column: SealedColumn, value: string): string {
    return this.box.seal(value, context(connectionId, column));
  }

  /** Records why a call failed, for the status the console shows (cleared by the next good check or login). */
  async recordError(session: LptrackerSession, error: string): Promise<void> {
    await this.connections.recordError(session.workspaceId, session.id, error);
  }

  forget(connectionId: string): void {
    this.newest.delete(connectionId);
  }

  /** The limiter key of a login: one per LPTracker login on one base URL, the same in every process. */
  accountKey(login: string): string {
    return lptrackerAccountKey(this.baseUrl, login);
  }

  private open(row: LptrackerConnectionEntity): LptrackerSession {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      baseUrl: this.baseUrl,
      login: row.login,
      accountKey: this.accountKey(row.login),
      status: row.status,
      lastError: row.lastError,
      tokenVersion: row.tokenVersion,
      password: this.box.openOptional(row.password, context(row.id, 'password')),
      token: this.box.openOptional(row.token, context(row.id, 'token')),
    };
  }
}

/** A short hash of base URL and login (the login, often an e-mail, does not appear in Redis keys). */
export function lptrackerAccountKey(baseUrl: string, login: string): string {
  return createHash('sha256')
    .update(`${baseUrl.toLowerCase()}\n${login.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}

function context(connectionId: string, column: SealedColumn): string {
  return `lptracker_connections.${column}:${connectionId}`;
}
