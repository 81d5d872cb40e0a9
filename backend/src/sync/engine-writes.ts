import { Injectable } from '@nestjs/common';

/** Who asked the engine to write: the client REST API or a spreadsheet import. The mirror row's `source` too. */
export const WRITE_ORIGINS = ['api', 'import'] as const;
export type WriteOrigin = (typeof WRITE_ORIGINS)[number];

/** Options of an engine write made for a client app or an import (the last, optional parameter). */
export interface WriteOptions {
  /** Defaults to `api`. */
  origin?: WriteOrigin;
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
  /** Changed field names for `*.updated` (empty when unknown). */
  changedFields: string[];
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
}
