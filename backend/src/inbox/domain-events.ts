import type { EntityManager } from 'typeorm';
import type { JsonValue } from '../database/columns';

/** Values of a lead as adapters report them; only what the source sent is present. */
export interface LeadValues {
  name?: string | null;
  pipelineId?: string | null;
  statusId?: string | null;
  price?: number | null;
  responsibleUserId?: string | null;
  /** Custom fields by the source's field id. */
  fields?: Record<string, JsonValue>;
}

/** Values of a contact as adapters report them; phones in E.164 where the adapter could normalise them. */
export interface ContactValues {
  name?: string | null;
  phones?: string[];
  emails?: string[];
  responsibleUserId?: string | null;
  fields?: Record<string, JsonValue>;
}

export interface StageValues {
  pipelineId: string | null;
  statusId: string;
}

/** Every domain event with the shape of its old and new values. Add a type here to publish it. */
export interface DomainEventValues {
  'lead.created': { old: null; new: LeadValues };
  'lead.updated': { old: LeadValues | null; new: LeadValues };
  'lead.stage_changed': { old: StageValues | null; new: StageValues };
  'lead.responsible_changed': {
    old: { responsibleUserId: string | null } | null;
    new: { responsibleUserId: string | null };
  };
  'lead.deleted': { old: LeadValues | null; new: null };
  'contact.created': { old: null; new: ContactValues };
  'contact.updated': { old: ContactValues | null; new: ContactValues };
  'contact.deleted': { old: ContactValues | null; new: null };
}

export type DomainEventType = keyof DomainEventValues;

/** Something that happened to a lead or contact, told once the change is applied. */
export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  readonly type: T;
  readonly workspaceId: string;
  /** Where the change came from: `amocrm`, `lptracker`, `reconcile`… */
  readonly source: string;
  /** The inbox event that carried it (null when the change did not come through the inbox). */
  readonly inboxEventId: string | null;
  /** The entity id in the source system. */
  readonly entityId: string;
  readonly occurredAt: Date;
} & DomainEventValues[T];

/** What a subscriber gets besides the event. */
export interface DomainEventContext {
  /**
   * The transaction the publisher runs in (for inbox events: the one that marks the event done), or null.
   * Writes made through it commit or roll back together with the change.
   */
  readonly manager: EntityManager | null;
}

export type DomainEventHandler<T extends DomainEventType> = (
  event: DomainEvent<T>,
  context: DomainEventContext,
) => void | Promise<void>;
