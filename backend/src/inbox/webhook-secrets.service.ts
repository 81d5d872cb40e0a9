import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../crypto/secret-box';
import { WebhookSecretEntity } from './webhook-secret.entity';
import { WebhookSecretsRepository } from './webhook-secrets.repository';

/** Whose webhook URL a secret opens. */
export interface WebhookOwner {
  workspaceId: string;
  source: string;
}

/** 32 random bytes in base64url: 43 characters. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** How long a lookup is remembered: a rotated secret stops working in every process within this time. */
export const SECRET_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

/**
 * The per-workspace, per-source secret in webhook URLs. Only its SHA-256 is searchable; the secret itself is
 * kept sealed with ENCRYPTION_KEY so the console can show the URL again. Lookups are cached briefly.
 */
@Injectable()
export class WebhookSecretsService {
  private readonly cache = new Map<string, { owner: WebhookOwner | null; until: number }>();

  constructor(
    private readonly secrets: WebhookSecretsRepository,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  /** The workspace and source a secret belongs to, or null (also for anything not shaped like a secret). */
  async resolve(secret: string): Promise<WebhookOwner | null> {
    if (!SECRET_FORMAT.test(secret)) return null;
    const hash = sha256(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.owner;
    const row = await this.secrets.findByHash(hash);
    const owner = row ? { workspaceId: row.workspaceId, source: row.source } : null;
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(hash, { owner, until: now + SECRET_CACHE_MS });
    return owner;
  }

  /** The workspace's secret for `source`, made on first use. */
  async secretFor(
    workspaceId: string,
    source: string,
  ): Promise<{ secret: string; row: WebhookSecretEntity }> {
    let row = await this.secrets.findForSource(workspaceId, source);
    if (!row) {
      const secret = newSecret();
      const fresh = new WebhookSecretEntity();
      fresh.workspaceId = workspaceId;
      fresh.source = source;
      fresh.secretHash = sha256(secret);
      fresh.secretSealed = this.box.seal(secret, sealContext(workspaceId, source));
      fresh.events = null;
      await this.secrets.insertIfAbsent(fresh); // a concurrent first call may win: read back what is stored
      row = await this.secrets.findForSource(workspaceId, source);
      if (!row) throw new Error('the webhook secret could not be stored');
    }
    return { secret: this.box.open(row.secretSealed, sealContext(workspaceId, source)), row };
  }

  /** The full URL the source must call, built from PUBLIC_URL. */
  async webhookUrl(workspaceId: string, source: string): Promise<string> {
    const { secret } = await this.secretFor(workspaceId, source);
    return this.urlFor(source, secret);
  }

  urlFor(source: string, secret: string): string {
    return `${this.config.publicUrl}/webhooks/${source}/${secret}`;
  }

  /** Replaces the secret: the old URL stops working at once here and within seconds in other processes. */
  async rotate(workspaceId: string, source: string): Promise<{ secret: string; previousSecret: string }> {
    const { secret: previousSecret } = await this.secretFor(workspaceId, source);
    const secret = newSecret();
    await this.secrets.replaceSecret(
      workspaceId,
      source,
      sha256(secret),
      this.box.seal(secret, sealContext(workspaceId, source)),
    );
    this.cache.delete(sha256(previousSecret));
    return { secret, previousSecret };
  }

  async setEvents(workspaceId: string, source: string, events: string[] | null): Promise<void> {
    await this.secretFor(workspaceId, source);
    await this.secrets.setEvents(workspaceId, source, events);
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sealContext(workspaceId: string, source: string): string {
  return `inbox_webhook_secrets:${workspaceId}:${source}`;
}
