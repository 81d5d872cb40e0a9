import { sustainedRps } from '../redis/rate-limiter';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives working defaults for a local start', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.role).toBe('all');
    expect(config.db).toEqual({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: '',
      database: 'amocrm_integration',
    });
    expect(config.defaultPhoneRegion).toBe('RU');
    expect(config.amocrmBaseUrlTemplate).toBe('https://{subdomain}.amocrm.ru');
    expect(config.lptrackerBaseUrl).toBe('https://direct.lptracker.ru');
    expect(config.webhookRetryDelaysMs).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
    expect(config.encryptionKey).toHaveLength(32);
  });

  it('names the variable and what is expected', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      'Invalid configuration: PORT must be a whole number between 1 and 65535',
    );
    expect(() => loadConfig({ APP_ROLE: 'both' })).toThrow('APP_ROLE must be all, api or worker');
    expect(() => loadConfig({ ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      'ENCRYPTION_KEY must be 32 bytes in base64',
    );
    expect(() => loadConfig({ AMOCRM_BASE_URL_TEMPLATE: 'https://amocrm.ru' })).toThrow(
      'must be an http(s) URL containing {subdomain}',
    );
    expect(() => loadConfig({ WEBHOOK_RETRY_DELAYS: '10s,soon' })).toThrow(
      'WEBHOOK_RETRY_DELAYS must be a comma-separated list',
    );
  });

  it('takes METRICS_TOKEN when long enough, and treats an empty one as unset', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(32) }).metricsToken).toBe('a'.repeat(32));
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    for (const bad of ['short', 'has spaces in the middle of it, long enough']) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(
        'METRICS_TOKEN must be 24-256 visible ASCII characters',
      );
    }
  });

  it('reads the request-rate margin of each CRM, 40 ms for amoCRM (≥ 95 % of its budget) and 60 for LPTracker', () => {
    const defaults = loadConfig({});
    expect([defaults.amocrmRateMarginMs, defaults.lptrackerRateMarginMs]).toEqual([40, 60]);
    expect(
      sustainedRps(defaults.amocrmRps, defaults.amocrmRateMarginMs) / defaults.amocrmRps,
    ).toBeGreaterThanOrEqual(0.95);
    const set = loadConfig({ AMOCRM_RATE_MARGIN_MS: '0', LPTRACKER_RATE_MARGIN_MS: ' 120 ' });
    expect([set.amocrmRateMarginMs, set.lptrackerRateMarginMs]).toEqual([0, 120]);
    for (const bad of ['-1', '2.5', '1001', 'fast']) {
      expect(() => loadConfig({ AMOCRM_RATE_MARGIN_MS: bad })).toThrow(
        'AMOCRM_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000',
      );
      expect(() => loadConfig({ LPTRACKER_RATE_MARGIN_MS: bad })).toThrow(
        'LPTRACKER_RATE_MARGIN_MS must be a whole number of milliseconds from 0 to 1000',
      );
    }
  });

  it('lists every bad variable in one line', () => {
    try {
      loadConfig({ PORT: '0', DB_PORT: 'x', REDIS_URL: 'http://localhost' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(3);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('requires real secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'JWT_SECRET is required in production (at least 32 characters); ENCRYPTION_KEY is required in production (32 bytes in base64)',
    );
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(config.isProduction).toBe(true);
    expect(config.serveConsole).toBe(false);
  });

  it('reads DATABASE_URL instead of DB_*', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://app:p%40ss@db.internal:3307/crm' });
    expect(config.db).toEqual({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'crm',
    });
  });

  it('reads DB_SOCKET as the server address, with DB_* or DATABASE_URL for the rest', () => {
    expect(loadConfig({ DB_SOCKET: '/run/mysqld/mysqld.sock', DB_NAME: 'crm' }).db).toMatchObject({
      socketPath: '/run/mysqld/mysqld.sock',
      database: 'crm',
    });
    expect(
      loadConfig({ DB_SOCKET: '/var/run/mysql.sock', DATABASE_URL: 'mysql://app:pw@localhost/crm' }).db,
    ).toMatchObject({ socketPath: '/var/run/mysql.sock', user: 'app', database: 'crm' });
    expect(loadConfig({ DB_SOCKET: '' }).db.socketPath).toBeUndefined();
    expect(() => loadConfig({ DB_SOCKET: 'mysqld.sock' })).toThrow('DB_SOCKET must be an absolute path');
  });

  it('splits the roles', () => {
    expect(loadConfig({ APP_ROLE: 'api' })).toMatchObject({ servesHttpApi: true, runsWorkers: false });
    expect(loadConfig({ APP_ROLE: 'worker' })).toMatchObject({ servesHttpApi: false, runsWorkers: true });
  });
});
