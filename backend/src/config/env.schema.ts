import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the service reads, with what it expects.
 * The messages are shown to the person starting the service, one line per variable.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'], {
    message: 'NODE_ENV must be development, production or test',
  })
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'PUBLIC_URL must be an http(s) URL such as https://integration.example.com' },
  )
  PUBLIC_URL?: string;

  @IsOptional()
  @IsIn(['all', 'api', 'worker'], { message: 'APP_ROLE must be all, api or worker' })
  APP_ROLE?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'SERVE_CONSOLE must be true or false' })
  SERVE_CONSOLE?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^mysql:\/\/[^\s]+$/, {
    message: 'DATABASE_URL must look like mysql://user:password@host:3306/database',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  DB_HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DB_PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'DB_PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'DB_PORT must be a whole number between 1 and 65535' })
  DB_PORT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\//, { message: 'DB_SOCKET must be an absolute path to the MySQL/MariaDB socket file' })
  DB_SOCKET?: string;

  @IsOptional()
  @IsString()
  DB_USER?: string;

  @IsOptional()
  @IsString()
  DB_PASSWORD?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9_$]{1,64}$/, { message: 'DB_NAME must be 1-64 letters, digits, _ or $' })
  DB_NAME?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\/[^\s]+$/, {
    message: 'REDIS_URL must look like redis://host:6379 or rediss://host:6380',
  })
  REDIS_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @MinLength(32, {
    message: 'JWT_SECRET must be at least 32 characters (generate one: openssl rand -base64 48)',
  })
  JWT_SECRET?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'ENCRYPTION_KEY must be 32 bytes in base64 (generate one: openssl rand -base64 32)',
  })
  ENCRYPTION_KEY?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'DEFAULT_PHONE_REGION must be a two-letter country code such as RU' })
  DEFAULT_PHONE_REGION?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/\S*\{subdomain\}\S*$/, {
    message:
      'AMOCRM_BASE_URL_TEMPLATE must be an http(s) URL containing {subdomain}, e.g. https://{subdomain}.amocrm.ru',
  })
  AMOCRM_BASE_URL_TEMPLATE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'AMOCRM_RPS must be a whole number from 1 to 50' })
  @Min(1, { message: 'AMOCRM_RPS must be a whole number from 1 to 50' })
  @Max(50, { message: 'AMOCRM_RPS must be a whole number from 1 to 50' })
  AMOCRM_RPS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'AMOCRM_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000' })
  @Min(0, { message: 'AMOCRM_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000' })
  @Max(1000, { message: 'AMOCRM_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000' })
  AMOCRM_RATE_MARGIN_MS?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'LPTRACKER_BASE_URL must be an http(s) URL such as https://direct.lptracker.ru' },
  )
  LPTRACKER_BASE_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'LPTRACKER_RPS must be a whole number from 1 to 50' })
  @Min(1, { message: 'LPTRACKER_RPS must be a whole number from 1 to 50' })
  @Max(50, { message: 'LPTRACKER_RPS must be a whole number from 1 to 50' })
  LPTRACKER_RPS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'LPTRACKER_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000' })
  @Min(0, { message: 'LPTRACKER_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000' })
  @Max(1000, { message: 'LPTRACKER_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000' })
  LPTRACKER_RATE_MARGIN_MS?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'TELEGRAM_API_BASE_URL must be an http(s) URL such as https://api.telegram.org' },
  )
  TELEGRAM_API_BASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsEmail({ require_tld: false }, { message: 'ADMIN_EMAIL must be an e-mail address' })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @MinLength(10, { message: 'ADMIN_PASSWORD must be at least 10 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[a-z0-9-]+(\.(amocrm\.(ru|com)|kommo\.com))?$/i, {
    message: 'AMO_DOMAIN must be the account subdomain or domain, e.g. mycompany or mycompany.amocrm.ru',
  })
  AMO_DOMAIN?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  AMO_ACCESS_TOKEN?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  AMO_CLIENT_ID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  AMO_CLIENT_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'INBOX_RETENTION_DAYS must be a whole number of days from 1 to 3650' })
  @Min(1, { message: 'INBOX_RETENTION_DAYS must be a whole number of days from 1 to 3650' })
  @Max(3650, { message: 'INBOX_RETENTION_DAYS must be a whole number of days from 1 to 3650' })
  INBOX_RETENTION_DAYS?: number;

  @IsOptional()
  @Matches(/^\s*\d+(ms|s|m|h)\s*(,\s*\d+(ms|s|m|h)\s*)*$/, {
    message: 'WEBHOOK_RETRY_DELAYS must be a comma-separated list of durations such as 10s,1m,5m,30m,2h',
  })
  WEBHOOK_RETRY_DELAYS?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\s*\d+(ms|s|m|h)\s*$/, {
    message:
      'INBOX_SWEEP_AFTER must be one duration such as 30s (how long an unfinished event may sit before it is re-queued)',
  })
  INBOX_SWEEP_AFTER?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'INBOX_CONCURRENCY must be a whole number from 1 to 500' })
  @Min(1, { message: 'INBOX_CONCURRENCY must be a whole number from 1 to 500' })
  @Max(500, { message: 'INBOX_CONCURRENCY must be a whole number from 1 to 500' })
  INBOX_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WORKER_NICE must be a whole number from 0 to 19' })
  @Min(0, { message: 'WORKER_NICE must be a whole number from 0 to 19' })
  @Max(19, { message: 'WORKER_NICE must be a whole number from 0 to 19' })
  WORKER_NICE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'INBOX_YIELD_ABOVE must be a whole number of webhooks per second from 0 to 1000000' })
  @Min(0, { message: 'INBOX_YIELD_ABOVE must be a whole number of webhooks per second from 0 to 1000000' })
  @Max(1_000_000, {
    message: 'INBOX_YIELD_ABOVE must be a whole number of webhooks per second from 0 to 1000000',
  })
  INBOX_YIELD_ABOVE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'INBOX_YIELD_RATE must be a whole number of events per second from 1 to 100000' })
  @Min(1, { message: 'INBOX_YIELD_RATE must be a whole number of events per second from 1 to 100000' })
  @Max(100_000, { message: 'INBOX_YIELD_RATE must be a whole number of events per second from 1 to 100000' })
  INBOX_YIELD_RATE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'IMPORT_MAX_MB must be a whole number of megabytes from 1 to 500' })
  @Min(1, { message: 'IMPORT_MAX_MB must be a whole number of megabytes from 1 to 500' })
  @Max(500, { message: 'IMPORT_MAX_MB must be a whole number of megabytes from 1 to 500' })
  IMPORT_MAX_MB?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\s*(off|\d+(ms|s|m|h))\s*$/, {
    message:
      'AMOCRM_RECONCILE_INTERVAL must be one duration such as 10m (how often amoCRM changes are reconciled), or off',
  })
  AMOCRM_RECONCILE_INTERVAL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\s*(off|\d+(ms|s|m|h))\s*$/, {
    message:
      'ALERTS_CHECK_INTERVAL must be one duration such as 1m (how often alert conditions are checked), or off',
  })
  ALERTS_CHECK_INTERVAL?: string;

  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_LOCKOUT_SECONDS must be a whole number of seconds from 1 to 86400' })
  @Min(1, { message: 'LOGIN_LOCKOUT_SECONDS must be a whole number of seconds from 1 to 86400' })
  @Max(86400, { message: 'LOGIN_LOCKOUT_SECONDS must be a whole number of seconds from 1 to 86400' })
  LOGIN_LOCKOUT_SECONDS?: number;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{1,40}$/, { message: 'REDIS_PREFIX must be 1-40 letters, digits, _ : or -' })
  REDIS_PREFIX?: string;

  /** Bearer token Prometheus sends to /metrics; unset: /metrics answers only direct loopback callers. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[\x21-\x7e]{24,256}$/, {
    message: 'METRICS_TOKEN must be 24-256 visible ASCII characters without spaces (openssl rand -hex 32)',
  })
  METRICS_TOKEN?: string;
}
