import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import {
  describesWrite,
  digestFields,
  fingerprintOf,
  type EchoDigests,
  type EchoFields,
} from './echo-fingerprint';

/** amoCRM contacts and leads; `lptracker-lead`: our writes to LPTracker leads (see LptrackerEchoGuardService). */
export type EchoEntity = 'contact' | 'lead' | 'lptracker-lead';

/** A write we made to one amoCRM entity. */
export interface RecordedWrite {
  /** The fields as we sent them (see `echoFieldsOfWrite`). */
  fields: EchoFields;
  /** amoCRM's `updated_at` (unix seconds) from the write's answer, when it gave one (PATCH does, POST does not). */
  updatedAt?: number | null;
}

/** What a webhook says about the entity now. */
export interface ObservedState {
  /** The entity's `updated_at` / `last_modified` (unix seconds) in the webhook, when present. */
  updatedAt?: number | null;
  /** Every field the webhook carries (see `echoFieldsOfWebhookChange`). */
  fields: EchoFields;
}

interface StoredWrite {
  /** Digest per field key. */
  d: EchoDigests;
  /** amoCRM updated_at, or null. */
  u: number | null;
  /** When we finished the write (unix seconds, our clock). */
  w: number;
  /** Fingerprint of the whole write (for logs). */
  f: string;
}

/** Writes are remembered this long: webhooks normally arrive within seconds, retries within minutes. */
export const ECHO_TTL_SECONDS = 5 * 60;
/** The last writes kept per entity. */
const MAX_WRITES_PER_ENTITY = 20;
/** Clock difference tolerated between amoCRM's updated_at and our time of a write without updated_at. */
const CLOCK_SKEW_SECONDS = 5;

/**
 * The echo (loop) guard: every write we make to amoCRM is recorded for a few minutes in Redis (key: workspace +
 * entity + amoCRM id; value: per-field digests of what we wrote and amoCRM's `updated_at` when known), and the
 * webhook processing asks `isEcho` before applying a change: a webhook that describes exactly what we wrote is
 * our own write coming back and must be skipped, or a two-way sync would loop.
 *
 * A webhook is an echo of a recorded write when:
 * - every field we wrote has, in the webhook, the value we wrote (the webhook may carry more fields: amoCRM
 *   sends the whole entity), and
 * - it describes the state right after that write: the same `updated_at` when amoCRM gave us one; otherwise an
 *   `updated_at` no later than our write (plus a little clock skew). A later change by a manager has a later
 *   `updated_at`, so it is not mistaken for an echo even when it leaves our fields as we wrote them.
 * Records are not consumed: amoCRM may send several webhooks (update + status) for one write.
 */
@Injectable()
export class EchoGuardService {
  private readonly logger = new Logger('EchoGuard');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Records one write; failures are logged, never thrown (the write itself succeeded). */
  async recordWrite(
    workspaceId: string,
    entity: EchoEntity,
    amocrmId: number,
    write: RecordedWrite,
  ): Promise<void> {
    await this.recordWrites(workspaceId, entity, [{ amocrmId, ...write }]);
  }

  async recordWrites(
    workspaceId: string,
    entity: EchoEntity,
    writes: readonly (RecordedWrite & { amocrmId: number })[],
  ): Promise<void> {
    if (writes.length === 0) return;
    const now = Math.floor(Date.now() / 1000);
    const pipeline = this.redis.multi();
    for (const write of writes) {
      const digests = digestFields(write.fields);
      const stored: StoredWrite = {
        d: digests,
        u: write.updatedAt ?? null,
        w: now,
        f: fingerprintOf(digests),
      };
      const key = echoKey(workspaceId, entity, write.amocrmId);
      pipeline
        .lpush(key, JSON.stringify(stored))
        .ltrim(key, 0, MAX_WRITES_PER_ENTITY - 1)
        .expire(key, ECHO_TTL_SECONDS);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      this.logger.warn(
        { workspaceId, entity, error: error instanceof Error ? error.message : String(error) },
        'echo guard could not record a write',
      );
    }
  }

  /** True when the webhook describes exactly what we wrote to this entity in the last few minutes. */
  async isEcho(
    workspaceId: string,
    entity: EchoEntity,
    amocrmId: number,
    observed: ObservedState,
  ): Promise<boolean> {
    return describesRecorded(
      await this.redis.lrange(echoKey(workspaceId, entity, amocrmId), 0, -1),
      observed,
    );
  }

  /** `isEcho` for several changes (of any workspaces) in one Redis round trip; answers in the order asked. */
  async areEchoes(
    checks: readonly { workspaceId: string; entity: EchoEntity; amocrmId: number; observed: ObservedState }[],
  ): Promise<boolean[]> {
    if (checks.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const check of checks)
      pipeline.lrange(echoKey(check.workspaceId, check.entity, check.amocrmId), 0, -1);
    const results = (await pipeline.exec()) ?? [];
    return checks.map((check, index) => {
      const [error, raw] = results[index] ?? [new Error('the echo guard read got no answer'), null];
      if (error) throw error;
      return describesRecorded(raw as string[], check.observed);
    });
  }

  /** The writes recorded for an entity in the last few minutes, newest first (for guards that match per field). */
  async recentWrites(
    workspaceId: string,
    entity: EchoEntity,
    id: number,
  ): Promise<{ digests: EchoDigests; writtenAt: number }[]> {
    const raw = await this.redis.lrange(echoKey(workspaceId, entity, id), 0, -1);
    return raw.flatMap((text) => {
      const write = parseStored(text);
      return write ? [{ digests: write.d, writtenAt: write.w }] : [];
    });
  }
}

export function echoKey(workspaceId: string, entity: EchoEntity, amocrmId: number): string {
  return `sync:echo:${workspaceId}:${entity}:${amocrmId}`;
}

function parseStored(text: string): StoredWrite | null {
  try {
    const value = JSON.parse(text) as Partial<StoredWrite>;
    if (!value || typeof value.d !== 'object' || value.d === null || typeof value.w !== 'number') return null;
    return {
      d: value.d,
      u: typeof value.u === 'number' ? value.u : null,
      w: value.w,
      f: String(value.f ?? ''),
    };
  } catch {
    return null;
  }
}

/** Whether the writes recorded for an entity (newest first, as stored) include exactly the observed state. */
function describesRecorded(raw: readonly string[], observed: ObservedState): boolean {
  if (raw.length === 0) return false;
  const observedDigests = digestFields(observed.fields);
  const observedAt = observed.updatedAt ?? null;
  for (const text of raw) {
    const write = parseStored(text);
    if (!write) continue;
    if (observedAt !== null) {
      if (write.u !== null && write.u !== observedAt) continue;
      if (write.u === null && observedAt > write.w + CLOCK_SKEW_SECONDS) continue;
    }
    if (describesWrite(write.d, observedDigests)) return true;
  }
  return false;
}
