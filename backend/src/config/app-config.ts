import { join } from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { repoRoot } from './repo-root';

/** `cli` is internal: one-off commands that neither serve HTTP nor run workers. */
export type AppRole = 'all' | 'api' | 'worker' | 'cli';

export interface DatabaseSettings {
  host: string;
  port: number;
  /** The server's unix socket: used instead of host and port when set (a MySQL on the same machine). */
  socketPath?: string;
  user: string;
  password: string;
  database: string;
}

export type AppSettings = Omit<AppConfig, 'isProduction' | 'servesHttpApi' | 'runsWorkers' | 'withRole'>;

/** The validated, typed settings of one process. Built only by `loadConfig`. */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly port!: number;
  readonly publicUrl!: string;
  readonly role!: AppRole;
  readonly serveConsole!: boolean;
  readonly consoleDir!: string;
  readonly db!: DatabaseSettings;
  readonly redisUrl!: string;
  readonly redisPrefix!: string;
  readonly jwtSecret!: string;
  readonly encryptionKey!: Buffer;
  readonly logLevel!: string;
  readonly defaultPhoneRegion!: CountryCode;
  readonly amocrmBaseUrlTemplate!: string;
  readonly amocrmRps!: number;
  /**
   * Added to the amoCRM limiter's one-second window (ms) for the jitter between our send and amoCRM's arrival:
   * 40 keeps 96 % of the account's budget usable (7 rps → 6.73, #14: ≥ 95 %).
   */
  readonly amocrmRateMarginMs!: number;
  readonly lptrackerBaseUrl!: string;
  readonly lptrackerRps!: number;
  /** The LPTracker limiter's margin (ms): its limit is less well known than amoCRM's, so 60 (3 rps → 2.83). */
  readonly lptrackerRateMarginMs!: number;
  readonly telegramApiBaseUrl!: string;
  readonly adminEmail?: string;
  readonly adminPassword?: string;
  readonly amoEnv!: { domain?: string; accessToken?: string; clientId?: string; clientSecret?: string };
  readonly inboxRetentionDays!: number;
  readonly webhookRetryDelaysMs!: readonly number[];
  /** An event neither finished nor really queued for this long is re-queued by the sweeper; also the processing lease. */
  readonly inboxSweepAfterMs!: number;
  /** Inbox events processed at once per worker process. */
  readonly inboxConcurrency!: number;
  /**
   * Scheduling priority (nice, 0–19) of a worker process (APP_ROLE=worker): on a machine shared with the api, the
   * answers to webhooks come first and processing uses the CPU left over (the inbox keeps what waits).
   */
  readonly workerNice!: number;
  /**
   * Webhooks accepted per second (all api processes together) from which workers slow down to
   * `inboxYieldRate` event runs per second each, so that the api and the database keep the CPU; 0: never.
   */
  readonly inboxYieldAbove!: number;
  readonly inboxYieldRate!: number;
  /** Largest spreadsheet an import takes, in megabytes (413 above). */
  readonly importMaxMb!: number;
  /** How often every connected workspace's amoCRM changes are reconciled with the mirror; 0 = never scheduled. */
  readonly amocrmReconcileIntervalMs!: number;
  /** How often the worker checks alert conditions; 0: only on demand (POST /api/v1/alerts/check). */
  readonly alertsCheckIntervalMs!: number;
  readonly trustProxy!: string;
  readonly loginLockoutSeconds!: number;
  /** Bearer token required by /metrics; undefined: only direct loopback callers (no proxy headers) are served. */
  readonly metricsToken?: string;

  constructor(values: AppSettings) {
    Object.assign(this, values);
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  /** Whether this process serves the REST API, webhooks and (in local mode) the console. */
  get servesHttpApi(): boolean {
    return this.role === 'all' || this.role === 'api';
  }

  /** Whether this process runs queue processors and scheduled jobs. */
  get runsWorkers(): boolean {
    return this.role === 'all' || this.role === 'worker';
  }

  /** The same settings for another role (one-off CLI commands run as `cli`). */
  withRole(role: AppRole): AppConfig {
    return new AppConfig({ ...this, role });
  }
}

export const DEFAULT_CONSOLE_DIR = join(repoRoot(), 'admin-ui', 'dist', 'admin-ui', 'browser');
