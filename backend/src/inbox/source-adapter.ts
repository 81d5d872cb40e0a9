import type { EntityManager } from 'typeorm';
import type { JsonObject, JsonValue } from '../database/columns';
import type { DomainEvent, DomainEventType } from './domain-events';

/**
 * The contract between the durable inbox and one source of webhooks (amoCRM, LPTracker, reconcile…).
 * The inbox owns storage, idempotency, queueing, retries, replay and the trace; an adapter only knows its
 * payload format and what a change means. Register an adapter with `InboxAdapterRegistry.register`.
 */
export interface InboxSourceAdapter {
  /** The `:source` of `POST /webhooks/:source/:secret`: lowercase letters, digits and dashes. */
  readonly source: string;

  /**
   * Hot path (the sender waits): parse and validate the raw request and name its changes. Cheap and pure:
   * no I/O. Throw `InboxBadRequest` for a body that cannot be used (answered 400, nothing stored).
   */
  accept(delivery: InboxDelivery): AcceptedDelivery;

  /**
   * Optional hot-path check against state the adapter keeps in memory, e.g. that `account[id]` is the
   * connected account. A refusal is answered 403 and recorded as a rejected delivery, not as an event.
   */
  verify?(delivery: InboxDelivery, accepted: AcceptedDelivery): InboxVerdict | Promise<InboxVerdict>;

  /**
   * Worker: turn one stored event into changes. Process only the changes whose key `event.owns(key)`
   * (the others were delivered before and belong to an earlier event). Report steps through
   * `context.step`, declare skipped changes with `context.skip`, publish domain events with
   * `context.publish`. Local database writes that must happen exactly once go into `outcome.commit`:
   * it runs in the transaction that marks the event done. Throw to fail the attempt (it is retried with
   * backoff); throw `InboxPermanentError` when retrying cannot help.
   */
  process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome>;

  /** Optional: the parsed changes of an event, shown on the event's page (pure, no I/O). */
  describe?(event: InboxEventView): JsonValue;

  /** Optional: request headers worth keeping beyond content-type, user-agent and x-request-id (lowercase). */
  readonly keepHeaders?: readonly string[];
}

/** One webhook request as received: the body is exactly the bytes that arrived. */
export interface InboxDelivery {
  readonly workspaceId: string;
  readonly source: string;
  /** Lowercase header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
  /** The media type without parameters, lowercase, e.g. `application/x-www-form-urlencoded`; '' if none. */
  readonly contentType: string;
}

/** One change of one entity inside a delivery, named so that a second delivery of it is recognised. */
export interface InboxKey {
  /**
   * Unique per (workspace, source) for this exact change: e.g. `leads:status:123:1700000000` (entity, action,
   * id, last_modified) or LPTracker's `project_id:id:action:action_timestamp`. See `idempotency-key.ts`.
   */
  readonly key: string;
  /** The entity kind, e.g. `lead`, `contact`. */
  readonly entityType: string;
  /** The entity id in the source system: events are searchable by it. */
  readonly entityId: string;
}

export interface AcceptedDelivery {
  /** A short name of what happened, e.g. `leads.status` or `lead.update`; used for filtering. */
  readonly eventType: string;
  /** One key per changed entity; may be empty when the delivery carries nothing to process. */
  readonly keys: readonly InboxKey[];
  /** Shown in lists: small, JSON, no secrets (e.g. `{account: 'acme', leads: 2}`). */
  readonly summary: JsonObject;
}

export type InboxVerdict =
  { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly detail: string };

/** Why a change was not applied, although the event was processed. */
export type SkipReason = 'duplicate' | 'echo' | 'filtered';

/** The replay modes an admin can choose; `first` and `retry` are the automatic runs. */
export type ProcessingMode = 'first' | 'retry' | 'as_received' | 'current_settings';

/** A stored event as the worker hands it to its adapter. */
export interface InboxEventView {
  readonly id: string;
  readonly workspaceId: string;
  readonly source: string;
  readonly eventType: string;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
  readonly summary: JsonObject;
  readonly receivedAt: Date;
  /** Keys this event owns: its changes seen for the first time. Process only these. */
  readonly keys: readonly string[];
  /** Keys delivered before by another event (partial overlap): do not process. */
  readonly duplicateKeys: readonly string[];
  /** Whether this event owns `key` (i.e. the change must be processed now). */
  owns(key: string): boolean;
  /** 1 for the first run; counts every run including replays. */
  readonly attempt: number;
  readonly mode: ProcessingMode;
  /**
   * The mappings/rules version to apply: the version current when the event was received, except for a
   * replay with `current_settings`.
   */
  readonly settingsVersion: number;
  /** The version current when the event was received. */
  readonly receivedSettingsVersion: number;
}

export interface ProcessingContext {
  /** Runs `work` as a named, timed step of the event's trace (failures are recorded with their message). */
  step<T>(name: string, work: () => Promise<T> | T, detail?: JsonValue): Promise<T>;
  /** Adds an untimed line to the trace. */
  note(name: string, detail?: JsonValue): void;
  /**
   * Declares that the change with `key` was deliberately not applied (`echo`: our own write coming back;
   * `filtered`: no rule wants it). With `key` null the whole event is skipped. When every owned key is
   * skipped, the event ends `skipped` instead of `done`.
   */
  skip(key: string | null, reason: Exclude<SkipReason, 'duplicate'>, detail?: string): void;
  /** Publishes a domain event in the transaction that marks the event done, after `outcome.commit`. */
  publish<T extends DomainEventType>(event: DomainEvent<T>): void;
  /** Aborted when the worker loses the event's processing lease (another worker took it over) or stops. */
  readonly signal: AbortSignal;
}

export interface ProcessingOutcome {
  /** The parsed changes, kept for the event's page. */
  readonly changes?: JsonValue;
  /**
   * Local database writes that must happen exactly once. Runs inside the transaction that marks the event
   * done (after the inbox has checked it still holds the event), so a crash or a lost lease rolls them back.
   */
  readonly commit?: (manager: EntityManager) => Promise<void>;
  /**
   * Part of the commit that may be done for several runs at once: the runs committed in one transaction that name
   * the same group hand it their items together, before their `commit`s run (one statement for all instead of one
   * each). The group marks on each item what it did, in that transaction; `commit` does the rest. If the
   * transaction fails, each run is committed again alone, without the group.
   */
  readonly shared?: SharedCommit;
}

/** A run's share of a commit done together with other runs (see `ProcessingOutcome.shared`). */
export interface SharedCommit<T = unknown> {
  readonly group: SharedCommitGroup<T>;
  readonly item: T;
}

export interface SharedCommitGroup<T> {
  apply(manager: EntityManager, items: T[]): Promise<void>;
}

/**
 * The request cannot be used as a webhook of this source: answered 400, nothing is stored. `too_many_changes`: a
 * readable delivery naming more changes than the source takes in one request, answered 413 and recorded as a
 * rejected delivery.
 */
export class InboxBadRequest extends Error {
  constructor(
    readonly reason: 'unsupported_content_type' | 'malformed_body' | 'too_many_changes',
    message: string,
  ) {
    super(message);
    this.name = 'InboxBadRequest';
  }
}

/** Retrying cannot help (e.g. the target system refused the data as invalid): the event fails at once. */
export class InboxPermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboxPermanentError';
  }
}
