import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/load-config';
import { SecretBox } from '../crypto/secret-box';
import type { WebhookSecretEntity } from './webhook-secret.entity';
import type { WebhookSecretsRepository } from './webhook-secrets.repository';
import { SECRET_CACHE_MS, WebhookSecretsService } from './webhook-secrets.service';

/** The repository's contract kept in memory, counting lookups by hash. */
class MemorySecrets {
  rows: WebhookSecretEntity[] = [];
  hashLookups = 0;

  findByHash(hash: string): Promise<WebhookSecretEntity | null> {
    this.hashLookups++;
    return Promise.resolve(this.rows.find((row) => row.secretHash === hash) ?? null);
  }

  findForSource(workspaceId: string, source: string): Promise<WebhookSecretEntity | null> {
    return Promise.resolve(
      this.rows.find((row) => row.workspaceId === workspaceId && row.source === source) ?? null,
    );
  }

  insertIfAbsent(secret: WebhookSecretEntity): Promise<void> {
    if (!this.rows.some((row) => row.workspaceId === secret.workspaceId && row.source === secret.source)) {
      this.rows.push({ ...secret });
    }
    return Promise.resolve();
  }

  replaceSecret(
    workspaceId: string,
    source: string,
    secretHash: string,
    secretSealed: string,
  ): Promise<void> {
    const row = this.rows.find((item) => item.workspaceId === workspaceId && item.source === source);
    if (row) Object.assign(row, { secretHash, secretSealed });
    return Promise.resolve();
  }

  setEvents(): Promise<void> {
    return Promise.resolve();
  }
}

describe('WebhookSecretsService', () => {
  const config = loadConfig({ PUBLIC_URL: 'https://sync.example.com' });
  let store: MemorySecrets;
  let service: WebhookSecretsService;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    store = new MemorySecrets();
    service = new WebhookSecretsService(
      store as unknown as WebhookSecretsRepository,
      new SecretBox(randomBytes(32)),
      config,
    );
  });
  afterEach(() => jest.useRealTimers());

  it('makes one URL-safe 32-byte secret per workspace and source, kept sealed and shown again', async () => {
    const url = await service.webhookUrl('w1', 'amocrm');
    expect(url).toMatch(/^https:\/\/sync\.example\.com\/webhooks\/amocrm\/[A-Za-z0-9_-]{43}$/);
    expect(await service.webhookUrl('w1', 'amocrm')).toBe(url);
    expect(await service.webhookUrl('w1', 'lptracker')).not.toBe(url);
    const secret = url.split('/').pop() as string;
    expect(JSON.stringify(store.rows)).not.toContain(secret);
  });

  it('resolves a secret to its workspace and source, and caches the answer briefly', async () => {
    const secret = (await service.webhookUrl('w1', 'amocrm')).split('/').pop() as string;
    expect(await service.resolve(secret)).toEqual({ workspaceId: 'w1', source: 'amocrm' });
    expect(await service.resolve(secret)).toEqual({ workspaceId: 'w1', source: 'amocrm' });
    expect(store.hashLookups).toBe(1);
    jest.advanceTimersByTime(SECRET_CACHE_MS + 1);
    await service.resolve(secret);
    expect(store.hashLookups).toBe(2);
  });

  it('answers null without a lookup for anything not shaped like a secret, and caches unknown ones', async () => {
    expect(await service.resolve('short')).toBeNull();
    expect(await service.resolve(`${'a'.repeat(42)}/`)).toBeNull();
    expect(store.hashLookups).toBe(0);
    const unknown = 'B'.repeat(43);
    expect(await service.resolve(unknown)).toBeNull();
    expect(await service.resolve(unknown)).toBeNull();
    expect(store.hashLookups).toBe(1);
  });

  it('forgets the old secret at once when rotating; another process forgets it within the cache time', async () => {
    const other = new WebhookSecretsService(
      store as unknown as WebhookSecretsRepository,
      new SecretBox(randomBytes(32)),
      config,
    );
    const old = (await service.webhookUrl('w1', 'amocrm')).split('/').pop() as string;
    expect(await other.resolve(old)).not.toBeNull();
    const { secret } = await service.rotate('w1', 'amocrm');
    expect(secret).not.toBe(old);
    expect(await service.resolve(old)).toBeNull();
    expect(await service.resolve(secret)).toEqual({ workspaceId: 'w1', source: 'amocrm' });
    expect(await other.resolve(old)).not.toBeNull(); // still cached over there…
    jest.advanceTimersByTime(SECRET_CACHE_MS + 1);
    expect(await other.resolve(old)).toBeNull(); // …for at most SECRET_CACHE_MS
  });
});
