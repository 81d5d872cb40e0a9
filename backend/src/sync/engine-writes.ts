import { Injectable } from '@nestjs/common';
import { SOURCE_API } from './mirror-sources';
import { changedValues, type MirrorFieldValues } from './mirror-field-values';

/** Who asked the engine to write: the client REST API or a spreadsheet import. The mirror row's `source` too. */
export const WRITE_ORIGINS = ['api', 'import'] as const;
export type WriteOrigin = (typeof WRITE_ORIGINS)[number];

/** Options of an engine write made for a client app or an import (the last, optional parameter). */
export interface WriteOptions {
  /**
   * Who asked: the client REST API passes `api`, imports `import`. Only a write with an origin is told to the
   * listeners. Writes made while processing an event of another source (the LPTracker → amoCRM sync, rule actions)
   * pass none: that event runs its own rules, and telling them would run the `api` rules on it (or loop). The mirror
   * row's source defaults to `api`.
   */
  origin?: WriteOrigin;
  /**
   * The contacts mirror is known complete and current for this write (imports only, see ContactMirrorListing):
   * find-or-create takes a mirror miss as "not in amoCRM" and makes no amoCRM search. API writes never set it.
   */
  trustMirror?: boolean;
}

/** The mirror row's `source` for a record created by a write. */
export function mirrorSourceOf(options: WriteOptions): string {
  return options.origin ?? SOURCE_API;
}

/** The domain events an engine write stands for (the rules' trigger events of the `api` / `import` sources). */
export type EngineWriteEvent =
  | 'lead.created'
  | 'lead.updated'
  | 'lead.stage_changed'
  | 'contact.created'
  | 'contact.updated'
  | 'call.finished';

/** Told once an engine write for a client app or an import is applied (amoCRM written, mirror committed). */
export interface EngineWriteNotice {
  workspaceId: string;
  origin: WriteOrigin;
  events: EngineWriteEvent[];
  entity: 'lead' | 'contact' | 'call';
  /** The mirror row id (contacts / leads) or the call result id. */
  id: string;
  /** The amoCRM id, when the entity has one. */
  amocrmId: string | null;
  /** Changed field names for `*.updated` (empty when unknown), as the rules name them (`lead.price`). */
  changedFields: string[];
  /** The values before an update of the changed fields, by the same names; absent when not known. */
  old?: MirrorFieldValues;
  occurredAt: Date;
}

export type EngineWriteListener = (notice: EngineWriteNotice) => Promise<void>;

/**
 * Where the engine tells of its own writes for client apps and imports, so that a side that may use the inbox
 * (the engine may not) can record them as inbox events and run the rules on them. The engine awaits the
 * listeners before it answers: a listener that fails makes the write answer an error (the write itself stays).
 */
@Injectable()
export class EngineWritesService {
  private readonly listeners: EngineWriteListener[] = [];

  listen(listener: EngineWriteListener): void {
    this.listeners.push(listener);
  }

  async notify(notice: EngineWriteNotice): Promise<void> {
    for (const listener of this.listeners) await listener(notice);
  }

  /** Tells of records created by a write (`<entity>.created` first); nothing without `options.origin`. */
  async created(
    workspaceId: string,
    options: WriteOptions,
    record: { entity: 'lead' | 'contact'; id: string; amocrmId: number | null },
    events: EngineWriteEvent[],
  ): Promise<void> {
    if (options.origin === undefined || events.length === 0) return;
    await this.notify({
      workspaceId,
      origin: options.origin,
      events,
      entity: record.entity,
      id: record.id,
      amocrmId: record.amocrmId === null ? null : String(record.amocrmId),
      changedFields: [],
      occurredAt: new Date(),
    });
  }

  /**
   * Tells of an update by the rows' values before and after (the changed fields and their old values); nothing when
   * nothing changed or without `options.origin`. A lead whose status or pipeline changed stands for
   * `lead.stage_changed` too.
   */
  async updated(
    workspaceId: string,
    options: WriteOptions,
    record: { entity: 'lead' | 'contact'; id: string; amocrmId: number | null },
    before: MirrorFieldValues,
    after: MirrorFieldValues,
  ): Promise<void> {
    if (options.origin === undefined) return;
    const { changedFields, old } = changedValues(before, after);
    if (changedFields.length === 0) return;
    const events: EngineWriteEvent[] = [`${record.entity}.updated`];
    if (changedFields.includes('lead.status') || changedFields.includes('lead.pipeline'))
      events.push('lead.stage_changed');
    await this.notify({
      workspaceId,
      origin: options.origin,
      events,
      entity: record.entity,
      id: record.id,
      amocrmId: record.amocrmId === null ? null : String(record.amocrmId),
      changedFields,
      old,
      occurredAt: new Date(),
    });
  }
}

/** The options of the client REST API's writes (its controllers). */
export const CLIENT_API: Readonly<WriteOptions> = Object.freeze({ origin: 'api' });
