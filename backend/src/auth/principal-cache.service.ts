import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';
import type { Principal } from './principal';

const TTL_MS = 10_000;
const MAX_ENTRIES = 20_000;

/** What the cache holds: each key prefix (see the `*CacheKey` functions below) always maps to one of these. */
export type CachedAuthState = Principal | UserAuthState | SessionState | WorkspaceState | null;

/** A user as the bearer check needs it: who they are and which session version their tokens must carry. */
export interface UserAuthState {
  principal: Principal;
  sessionVersion: number;
}

/** Whether a login session (a refresh-token family) is still open, and the workspace a super-admin opened in it. */
export interface SessionState {
  open: boolean;
  actingWorkspaceId: string | null;
}

/** Whether a workspace is turned off (its users and API keys are refused). */
export interface WorkspaceState {
  disabled: boolean;
}

interface Entry {
  value: CachedAuthState;
  expiresAt: number;
}

/**
 * Remembers who a user id or an API key hash is, and whether a login session is open, for a few seconds, so an
 * authenticated request does not cost a database read. Disabling a user, changing a role, ending sessions or
 * revoking a key invalidates the entry at once in every process (Redis pub/sub); if that message were ever
 * missed, an entry still lives at most 10 s.
 */
@Injectable()
export class PrincipalCacheService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PrincipalCacheService.name);
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every invalidation of a key, so a lookup that raced with it does not store a stale answer. */
  private readonly generations = new Map<string, number>();
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = `${config.redisPrefix}:auth:invalidate`;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = this.redis.duplicate({ keyPrefix: '' });
    this.subscriber.on('message', (_channel: string, key: string) => this.forget(key));
    this.subscriber.on('error', (error: Error) => this.logger.warn(`invalidation channel: ${error.message}`));
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /**
   * The cached value for `key`, or the result of `load` (cached unless invalidated meanwhile). A key prefix always
   * stores the same type, which is what makes the narrowing of a hit to `T` sound.
   */
  async get<T extends CachedAuthState>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value as T;
    const generation = this.generations.get(key) ?? 0;
    const value = await load();
    if ((this.generations.get(key) ?? 0) === generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, expiresAt: now + TTL_MS });
    }
    return value;
  }

  /** Drops `key` here and in every other process. */
  async invalidate(key: string): Promise<void> {
    this.forget(key);
    await this.redis.publish(this.channel, key);
  }

  private forget(key: string): void {
    this.entries.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }
}

export const userCacheKey = (userId: string): string => `user:${userId}`;
export const apiKeyCacheKey = (keyHash: string): string => `apikey:${keyHash}`;
export const sessionCacheKey = (sessionId: string): string => `session:${sessionId}`;
export const workspaceCacheKey = (workspaceId: string): string => `workspace:${workspaceId}`;
