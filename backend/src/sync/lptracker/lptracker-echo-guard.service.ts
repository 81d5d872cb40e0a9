import { Injectable } from '@nestjs/common';
import { digestOf, type EchoScalar, type EchoValue } from '../echo-fingerprint';
import { EchoGuardService } from '../echo-guard.service';

/** What we wrote to one LPTracker lead in one request. */
export interface LptrackerWrite {
  stageId?: number;
  ownerId?: number | null;
  name?: string | null;
  /** Custom field id → value as sent. */
  custom?: Readonly<Record<string, EchoValue>>;
}

/** What an LPTracker callback (or a lead read back) says about the lead now. */
export interface LptrackerObserved {
  stageId?: number | null;
  ownerId?: number | null;
  name?: string | null;
  /** Custom field id → value, for every custom value the callback carries. */
  custom?: Readonly<Record<string, unknown>>;
  /** `action_update_fields` as sent (`stage`, `stage_id`, `custom.123`…); null when absent. */
  updateFields?: readonly string[] | null;
  /** `action_timestamp` (unix milliseconds) when sent. */
  actionAt?: number | null;
}

/** Tolerated difference between LPTracker's action time and ours. */
const CLOCK_SKEW_MS = 5_000;

/**
 * The echo guard toward LPTracker, on the one mechanism of EchoGuardService (entity `lptracker-lead`: the same
 * Redis records, per-field digests and TTL). The back-flow records each request it sends to a lead (stage, owner,
 * name, custom values) under the lead's lock; the LPTracker callback that follows is an echo when every field it
 * says changed (`action_update_fields`) is a field we wrote, holding the value we wrote, and it happened no later
 * than our write (plus a little clock skew). A callback that also changes something we did not write is not an
 * echo. Without `action_update_fields` (a lead read back), it is an echo when one recorded write is wholly
 * described by it (EchoGuardService's rule).
 */
@Injectable()
export class LptrackerEchoGuardService {
  constructor(private readonly guard: EchoGuardService) {}

  async recordWrite(workspaceId: string, leadId: number, write: LptrackerWrite): Promise<void> {
    const fields = fieldsOf(write);
    if (Object.keys(fields).length === 0) return;
    await this.guard.recordWrite(workspaceId, 'lptracker-lead', leadId, { fields });
  }

  async isEcho(workspaceId: string, leadId: number, observed: LptrackerObserved): Promise<boolean> {
    const writes = await this.guard.recentWrites(workspaceId, 'lptracker-lead', leadId);
    const at = observed.actionAt ?? null;
    const candidates = writes.filter((write) => at === null || at <= write.writtenAt * 1000 + CLOCK_SKEW_MS);
    if (candidates.length === 0) return false;
    const fields = observedFields(observed);
    const matches = (key: string, digests: Record<string, string>): boolean =>
      digests[key] !== undefined && digests[key] === digestOf(key, fields[key]);
    const touched = touchedKeys(observed.updateFields ?? null);
    if (touched === null)
      return candidates.some((write) =>
        Object.keys(write.digests).every((key) => matches(key, write.digests)),
      );
    if (touched.length === 0) return false;
    return touched.every((key) => candidates.some((write) => matches(key, write.digests)));
  }
}

function fieldsOf(write: LptrackerWrite): Record<string, EchoValue> {
  const fields: Record<string, EchoValue> = {};
  if (write.stageId !== undefined) fields.stage_id = write.stageId;
  if (write.ownerId !== undefined) fields.owner_id = write.ownerId;
  if (write.name !== undefined) fields.name = write.name;
  for (const [id, value] of Object.entries(write.custom ?? {})) fields[`custom:${id}`] = asList(value) ?? [];
  return fields;
}

/** Custom values compare as sets on both sides (a `cats` field answers a list where we may have sent one text). */
function asList(value: EchoValue | undefined): EchoValue | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value as readonly EchoScalar[];
  return [value as EchoScalar];
}

function echoValueOf(value: unknown): EchoValue | undefined {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as EchoValue;
  if (Array.isArray(value))
    return (value as unknown[]).filter((item): item is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof item),
    );
  return undefined;
}

function observedFields(observed: LptrackerObserved): Record<string, EchoValue | undefined> {
  const fields: Record<string, EchoValue | undefined> = {};
  if (observed.stageId !== undefined) fields.stage_id = observed.stageId;
  if (observed.ownerId !== undefined) fields.owner_id = observed.ownerId;
  if (observed.name !== undefined) fields.name = observed.name;
  for (const [id, value] of Object.entries(observed.custom ?? {}))
    fields[`custom:${id}`] = asList(echoValueOf(value));
  return fields;
}

/** `action_update_fields` → our field keys; a field we never write gets a key no write holds. Null: not sent. */
export function touchedKeys(updateFields: readonly string[] | null): string[] | null {
  if (updateFields === null) return null;
  const keys = updateFields.map((raw) => {
    const field = raw.trim().toLowerCase();
    if (field === 'stage' || field === 'stage_id' || field === 'funnel') return 'stage_id';
    if (field === 'owner' || field === 'owner_id') return 'owner_id';
    if (field === 'name') return 'name';
    const custom = /^custom[._](\d+)$/.exec(field);
    return custom ? `custom:${custom[1]}` : `other:${field}`;
  });
  return [...new Set(keys)];
}
