import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { CountryCode } from 'libphonenumber-js';
import { AppConfig, DEFAULT_CONSOLE_DIR, type AppRole, type DatabaseSettings } from './app-config';
import { parseDurationList } from './duration';
import { ENVIRONMENT_VARIABLE_NAMES } from './env-names';
import { EnvironmentVariables } from './env.schema';

/** A configuration problem worded for the person starting the service. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Used only outside production, so that `npm test` and a first local start work without a .env file. */
const DEVELOPMENT_JWT_SECRET = 'development-only-jwt-secret-not-for-production-use';
const DEVELOPMENT_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

type Env = Record<string, string | undefined>;

/** Validates the environment and builds the typed configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, pickKnown(env));
  const problems = validateSync(vars, { forbidUnknownValues: false }).flatMap(describe);

  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  if (nodeEnv === 'production') {
    if (!vars.JWT_SECRET) problems.push('JWT_SECRET is required in production (at least 32 characters)');
    if (!vars.ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY is required in production (32 bytes in base64)');
  }
  if (vars.ADMIN_EMAIL && !vars.ADMIN_PASSWORD)
    problems.push('ADMIN_PASSWORD is required when ADMIN_EMAIL is set');
  if (vars.AMO_ACCESS_TOKEN && !vars.AMO_DOMAIN)
    problems.push('AMO_DOMAIN is required when AMO_ACCESS_TOKEN is set');
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? 3000;
  return new AppConfig({
    nodeEnv,
    port,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    role: (vars.APP_ROLE ?? 'all') as AppRole,
    serveConsole: (vars.SERVE_CONSOLE ?? (nodeEnv === 'production' ? 'false' : 'true')) === 'true',
    consoleDir: DEFAULT_CONSOLE_DIR,
    db: databaseSettings(vars),
    redisUrl: vars.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: vars.REDIS_PREFIX ?? 'amoint',
    jwtSecret: vars.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    encryptionKey: Buffer.from(vars.ENCRYPTION_KEY ?? DEVELOPMENT_ENCRYPTION_KEY, 'base64'),
    logLevel: vars.LOG_LEVEL ?? 'info',
    defaultPhoneRegion: (vars.DEFAULT_PHONE_REGION ?? 'RU') as CountryCode,
    amocrmBaseUrlTemplate: vars.AMOCRM_BASE_URL_TEMPLATE ?? 'https://{subdomain}.amocrm.ru',
    amocrmRps: vars.AMOCRM_RPS ?? 7,
    amocrmRateMarginMs: vars.AMOCRM_RATE_MARGIN_MS ?? 40,
    lptrackerBaseUrl: (vars.LPTRACKER_BASE_URL ?? 'https://direct.lptracker.ru').replace(/\/+$/, ''),
    lptrackerRps: vars.LPTRACKER_RPS ?? 3,
    lptrackerRateMarginMs: vars.LPTRACKER_RATE_MARGIN_MS ?? 60,
    telegramApiBaseUrl: (vars.TELEGRAM_API_BASE_URL ?? 'https://api.telegram.org').replace(/\/+$/, ''),
    adminEmail: vars.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: vars.ADMIN_PASSWORD,
    amoEnv: {
      domain: vars.AMO_DOMAIN,
      accessToken: vars.AMO_ACCESS_TOKEN,
      clientId: vars.AMO_CLIENT_ID,
      clientSecret: vars.AMO_CLIENT_SECRET,
    },
    inboxRetentionDays: vars.INBOX_RETENTION_DAYS ?? 30,
    webhookRetryDelaysMs: parseDurationList(vars.WEBHOOK_RETRY_DELAYS ?? '10s,1m,5m,30m,2h'),
    inboxSweepAfterMs: parseDurationList(vars.INBOX_SWEEP_AFTER ?? '30s')[0],
    inboxConcurrency: vars.INBOX_CONCURRENCY ?? 200,
    workerNice: vars.WORKER_NICE ?? 10,
    inboxYieldAbove: vars.INBOX_YIELD_ABOVE ?? 500,
    inboxYieldRate: vars.INBOX_YIELD_RATE ?? 100,
    importMaxMb: vars.IMPORT_MAX_MB ?? 50,
    // off by default in the test suites, so a scheduled pass never runs in the middle of an unrelated test
    alertsCheckIntervalMs: reconcileInterval(
      vars.ALERTS_CHECK_INTERVAL ?? (nodeEnv === 'test' ? 'off' : '1m'),
    ),
    amocrmReconcileIntervalMs: reconcileInterval(
      vars.AMOCRM_RECONCILE_INTERVAL ?? (nodeEnv === 'test' ? 'off' : '10m'),
    ),
    trustProxy: vars.TRUST_PROXY ?? 'loopback',
    loginLockoutSeconds: vars.LOGIN_LOCKOUT_SECONDS ?? 900,
    metricsToken: vars.METRICS_TOKEN,
  });
}

/** `off` (0: no scheduled reconciliation) or one duration. */
function reconcileInterval(text: string): number {
  return text.trim() === 'off' ? 0 : parseDurationList(text)[0];
}

function databaseSettings(vars: EnvironmentVariables): DatabaseSettings {
  if (vars.DATABASE_URL) {
    const url = new URL(vars.DATABASE_URL);
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : 3306,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'amocrm_integration',
      socketPath: vars.DB_SOCKET,
    };
  }
  return {
    host: vars.DB_HOST ?? '127.0.0.1',
    port: vars.DB_PORT ?? 3306,
    user: vars.DB_USER ?? 'root',
    password: vars.DB_PASSWORD ?? '',
    database: vars.DB_NAME ?? 'amocrm_integration',
    socketPath: vars.DB_SOCKET,
  };
}

function pickKnown(env: Env): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of ENVIRONMENT_VARIABLE_NAMES) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function describe(error: ValidationError): string[] {
  const constraints = Object.values(error.constraints ?? {});
  // The first constraint message already names the variable and what is expected.
  return constraints.length > 0 ? [constraints[0]] : [`${error.property} is invalid`];
}
