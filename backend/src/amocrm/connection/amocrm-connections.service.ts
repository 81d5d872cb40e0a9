import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../auth/principal';
import { AppConfig } from '../../config/app-config';
import { withNamedLock } from '../../database/named-lock';
import { ValidationProblem } from '../../http/problem';
import { AmocrmApiError, AmocrmPausedError } from '../amocrm.problems';
import { AmocrmClient } from '../client/amocrm-client';
import { AmocrmMetadataService } from '../metadata/amocrm-metadata.service';
import { AmocrmConnectionEntity, type AmocrmConnectionSource } from './amocrm-connection.entity';
import { AmocrmConnectionStateService } from './amocrm-connection-state.service';
import { AmocrmConnectionsRepository } from './amocrm-connections.repository';
import { AmocrmCredentialsService } from './amocrm-credentials.service';
import { amocrmAccountKey, amocrmBaseUrl, AmocrmDomainError, normaliseAmocrmDomain } from './amocrm-domain';
import { AmocrmTokensService } from './amocrm-tokens.service';

/** Idle OAuth connections are refreshed when their pair is older than this (the daily job). */
const IDLE_REFRESH_AFTER_MS = 20 * 3_600_000;

export interface SaveOAuthClientInput {
  subdomain: string;
  clientId: string;
  clientSecret: string;
  redirectUri?: string;
}

export interface ConnectWithTokenInput {
  workspaceId: string;
  /** Resolved from the subdomain and AMOCRM_BASE_URL_TEMPLATE unless given (the demo sandbox). */
  baseUrl?: string;
  subdomain: string;
  longLivedToken: string;
  clientId?: string;
  clientSecret?: string;
  source: AmocrmConnectionSource;
}

/** Which account a workspace is connected to: to check `account[id]` / `account[subdomain]` of incoming webhooks. */
export interface AmocrmAccountIdentity {
  accountId: number;
  subdomain: string;
}

/**
 * The workspace's amoCRM connection as the admin manages it: OAuth client or long-lived token (the consent flow
 * itself is AmocrmOAuthService's), disconnect, resume after a pause, and the background upkeep (idle token refresh).
 */
@Injectable()
export class AmocrmConnectionsService {
  private readonly logger = new Logger('Amocrm');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly connections: AmocrmConnectionsRepository,
    private readonly credentials: AmocrmCredentialsService,
    private readonly state: AmocrmConnectionStateService,
    private readonly tokens: AmocrmTokensService,
    private readonly client: AmocrmClient,
    private readonly metadata: AmocrmMetadataService,
    private readonly audit: AuditService,
  ) {}

  /** The stored connection, or null when the workspace never connected amoCRM. */
  get(workspaceId: string): Promise<AmocrmConnectionEntity | null> {
    return this.connections.findByWorkspace(workspaceId);
  }

  async getAccountIdentity(workspaceId: string): Promise<AmocrmAccountIdentity | null> {
    const connection = await this.connections.findByWorkspace(workspaceId);
    if (!connection || connection.status === 'not_connected' || connection.accountId === null) return null;
    return { accountId: connection.accountId, subdomain: connection.subdomain };
  }

  /** Workspaces whose amoCRM connection is connected (background passes such as reconciliation walk these). */
  async connectedWorkspaceIds(): Promise<string[]> {
    return (await this.connections.listConnected()).map((connection) => connection.workspaceId);
  }

  /** Saves an OAuth client: the connection is `not_connected` until the consent redirect comes back. */
  async saveOAuthClient(
    actor: Actor,
    workspaceId: string,
    input: SaveOAuthClientInput,
  ): Promise<AmocrmConnectionEntity> {
    const domain = parseSubdomain(input.subdomain);
    const baseUrl = amocrmBaseUrl(this.config.amocrmBaseUrlTemplate, domain);
    const redirectUri = input.redirectUri ?? this.defaultRedirectUri();
    const saved = await this.writeConnection(workspaceId, (connection) => {
      connection.subdomain = domain.subdomain;
      connection.baseUrl = baseUrl;
      connection.authKind = 'oauth';
      connection.source = 'manual';
      connection.clientId = input.clientId;
      connection.clientSecret = this.credentials.seal(connection.id, 'client_secret', input.clientSecret);
      connection.redirectUri = redirectUri;
      wipeTokens(connection);
      connection.status = 'not_connected';
      connection.connectedAt = null;
    });
    await this.afterAccountChange(saved.previous, saved.connection, false);
    await this.audit.record(actor, {
      workspaceId,
      action: 'amocrm.oauth_client_saved',
      targetType: 'amocrm_connection',
      targetId: saved.connection.id,
      details: { subdomain: domain.subdomain, clientId: input.clientId, redirectUri },
    });
    return saved.connection;
  }

  /**
   * Connects with a long-lived token, checked at once with `GET /api/v4/account`. A refused token is a
   * ValidationProblem naming `longLivedToken` (or `subdomain` when no account answers there).
   */
  async connectWithToken(actor: Actor | null, input: ConnectWithTokenInput): Promise<AmocrmConnectionEntity> {
    const domain = parseSubdomain(input.subdomain);
    const baseUrl = input.baseUrl ?? amocrmBaseUrl(this.config.amocrmBaseUrlTemplate, domain);
    const probe = await this.client.probeAccount({
      baseUrl,
      accountKey: amocrmAccountKey(baseUrl),
      accessToken: input.longLivedToken,
    });
    if (!probe.ok) throw probeProblem(probe.reason, probe.status, probe.detail, baseUrl);
    const now = new Date();
    const saved = await this.writeConnection(input.workspaceId, (connection) => {
      connection.subdomain = domain.subdomain;
      connection.baseUrl = baseUrl;
      connection.authKind = 'long_lived';
      connection.source = input.source;
      connection.clientId = input.clientId ?? null;
      connection.clientSecret = input.clientSecret
        ? this.credentials.seal(connection.id, 'client_secret', input.clientSecret)
        : null;
      connection.redirectUri = null;
      connection.accessToken = this.credentials.seal(connection.id, 'access_token', input.longLivedToken);
      connection.refreshToken = null;
      connection.tokenExpiresAt = jwtExpiry(input.longLivedToken);
      connection.tokensRefreshedAt = now;
      connection.accountId = probe.account.id;
      connection.accountName = probe.account.name;
      connection.status = 'connected';
      connection.pausedReason = null;
      connection.lastError = null;
      connection.connectedAt = now;
    });
    await this.afterAccountChange(saved.previous, saved.connection, true);
    await this.audit.record(actor, {
      workspaceId: input.workspaceId,
      action: 'amocrm.connected',
      targetType: 'amocrm_connection',
      targetId: saved.connection.id,
      details: {
        authKind: 'long_lived',
        subdomain: domain.subdomain,
        accountId: probe.account.id,
        source: input.source,
      },
    });
    return saved.connection;
  }

  /** Disconnects: tokens wiped, status `not_connected`, metadata dropped; the OAuth client stays for a reconnect. */
  async disconnect(actor: Actor, workspaceId: string): Promise<void> {
    const existing = await this.connections.findByWorkspace(workspaceId);
    if (!existing) return;
    const saved = await this.writeConnection(workspaceId, (connection) => {
      wipeTokens(connection);
      connection.status = 'not_connected';
      connection.connectedAt = null;
    });
    await this.afterAccountChange(saved.previous, saved.connection, false);
    await this.audit.record(actor, {
      workspaceId,
      action: 'amocrm.disconnected',
      targetType: 'amocrm_connection',
      targetId: existing.id,
      details: { subdomain: existing.subdomain, accountId: existing.accountId },
    });
  }

  /**
   * Lifts a pause and probes the account once: connected again, or paused again (AmocrmPausedError) when amoCRM
   * still refuses. A connection that is not paused is answered as it is.
   */
  async resume(actor: Actor, workspaceId: string): Promise<AmocrmConnectionEntity | null> {
    const session = await this.credentials.load(workspaceId);
    if (!session) return null;
    const wasPaused = await this.state.clearPause(session);
    if (!wasPaused && session.status !== 'paused') return this.connections.findByWorkspace(workspaceId);
    await this.audit.record(actor, {
      workspaceId,
      action: 'amocrm.resumed',
      targetType: 'amocrm_connection',
      targetId: session.id,
      details: { previousReason: session.pausedReason },
    });
    try {
      const account = await this.client.forWorkspace(workspaceId, 'interactive').getAccount();
      await this.connections.markConnected(
        workspaceId,
        session.id,
        { id: account.id, name: account.name },
        new Date(),
      );
    } catch (error) {
      if (error instanceof AmocrmPausedError)
        this.logger.warn({ workspaceId, reason: error.reason }, 'amoCRM still refuses: paused again');
      throw error;
    }
    return this.connections.findByWorkspace(workspaceId);
  }

  /** The daily upkeep: refreshes OAuth pairs not refreshed for ~a day, so the 3-month refresh token never lapses. */
  async refreshIdleTokens(now = new Date()): Promise<{ refreshed: number; failed: number }> {
    let refreshed = 0;
    let failed = 0;
    for (const connection of await this.connections.listOAuthRefreshedBefore(
      new Date(now.getTime() - IDLE_REFRESH_AFTER_MS),
    )) {
      try {
        const session = await this.credentials.load(connection.workspaceId);
        if (!session || session.id !== connection.id || session.tokenVersion !== connection.tokenVersion)
          continue;
        await this.tokens.refreshAfter(session);
        refreshed += 1;
      } catch (error) {
        failed += 1;
        this.logger.warn(
          {
            workspaceId: connection.workspaceId,
            error: error instanceof Error ? error.message : String(error),
          },
          'idle amoCRM token refresh failed',
        );
      }
    }
    return { refreshed, failed };
  }

  /**
   * Creates or rewrites the workspace's row under a database lock (one writer at a time across processes); every
   * rewrite bumps the token version, so concurrent calls notice that the credentials changed.
   */
  private async writeConnection(
    workspaceId: string,
    change: (connection: AmocrmConnectionEntity) => void,
  ): Promise<{ connection: AmocrmConnectionEntity; previous: AmocrmConnectionEntity | null }> {
    return withNamedLock(this.dataSource, `amocrm_connection_${workspaceId}`, 15, async () => {
      const existing = await this.connections.findByWorkspace(workspaceId);
      const previous = existing ? Object.assign(new AmocrmConnectionEntity(), existing) : null;
      const connection =
        existing ??
        Object.assign(new AmocrmConnectionEntity(), {
          workspaceId,
          tokenVersion: 0,
          accountId: null,
          accountName: null,
        });
      change(connection);
      if (existing) {
        await this.connections.reconfigure(connection);
      } else {
        connection.tokenVersion = 1;
        await this.connections.insert(connection);
      }
      this.credentials.forget(connection.id);
      return { connection: (await this.connections.findByWorkspace(workspaceId)) ?? connection, previous };
    });
  }

  /** Pause flags and metadata follow the account: cleared for the old one, reloaded for the new one. */
  private async afterAccountChange(
    previous: AmocrmConnectionEntity | null,
    current: AmocrmConnectionEntity,
    loadMetadata: boolean,
  ): Promise<void> {
    for (const baseUrl of new Set(
      [previous?.baseUrl, current.baseUrl].filter((url): url is string => Boolean(url)),
    )) {
      await this.state.clearPause({
        workspaceId: current.workspaceId,
        id: current.id,
        accountKey: amocrmAccountKey(baseUrl),
      });
    }
    if (loadMetadata) await this.loadMetadata(current.workspaceId);
    else await this.metadata.forget(current.workspaceId);
  }

  /** Metadata right after connecting; a failure leaves the connection connected (the hourly job retries). */
  async loadMetadata(workspaceId: string): Promise<void> {
    try {
      await this.metadata.refresh(workspaceId, 'interactive');
    } catch (error) {
      this.logger.warn(
        { workspaceId, error: error instanceof Error ? error.message : String(error) },
        'amoCRM metadata could not be loaded after connecting',
      );
    }
  }

  /** Where amoCRM sends the browser back after consent, unless the OAuth client names another address. */
  defaultRedirectUri(): string {
    return `${this.config.publicUrl}/api/v1/connections/amocrm/callback`;
  }
}

function parseSubdomain(input: string): ReturnType<typeof normaliseAmocrmDomain> {
  try {
    return normaliseAmocrmDomain(input);
  } catch (error) {
    if (error instanceof AmocrmDomainError)
      throw new ValidationProblem([{ field: 'subdomain', message: error.message, code: 'amocrmDomain' }]);
    throw error;
  }
}

function wipeTokens(connection: AmocrmConnectionEntity): void {
  connection.accessToken = null;
  connection.refreshToken = null;
  connection.tokenExpiresAt = null;
  connection.tokensRefreshedAt = null;
  connection.accountId = null;
  connection.accountName = null;
  connection.pausedReason = null;
  connection.lastError = null;
}

function probeProblem(reason: string, status: number, detail: string, baseUrl: string): Error {
  const host = new URL(baseUrl).host;
  switch (reason) {
    case 'unauthorized':
      return new ValidationProblem([
        {
          field: 'longLivedToken',
          message: `amoCRM refused this token (401: ${detail}).`,
          code: 'amocrmUnauthorized',
        },
      ]);
    case 'not_found':
      return new ValidationProblem([
        { field: 'subdomain', message: `No amoCRM account answers at ${host}.`, code: 'amocrmNotFound' },
      ]);
    case 'payment_required':
      return new ValidationProblem([
        {
          field: 'subdomain',
          message: 'The amoCRM subscription of this account has lapsed (402).',
          code: 'amocrmPaymentRequired',
        },
      ]);
    case 'forbidden':
      return new ValidationProblem([
        {
          field: 'longLivedToken',
          message: 'amoCRM refused access (403): the account is blocked or the token lacks rights.',
          code: 'amocrmForbidden',
        },
      ]);
    default:
      return new AmocrmApiError(status, detail);
  }
}

/** `exp` of a JWT-shaped token (amoCRM's tokens are JWTs), without trusting it for anything but display. */
export function jwtExpiry(token: string): Date | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}
