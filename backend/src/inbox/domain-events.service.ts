import { Injectable } from '@nestjs/common';
import type { DomainEvent, DomainEventContext, DomainEventHandler, DomainEventType } from './domain-events';

type AnyHandler = (event: DomainEvent, context: DomainEventContext) => void | Promise<void>;
type AnyBatchHandler = (events: DomainEvent[], context: DomainEventContext) => void | Promise<void>;

/** A subscriber of many events of one type at once (e.g. one multi-row write for a whole commit's events). */
export type DomainEventBatchHandler<T extends DomainEventType> = (
  events: DomainEvent<T>[],
  context: DomainEventContext,
) => void | Promise<void>;

/**
 * A tiny typed in-process publish/subscribe for domain events (`lead.stage_changed`, `contact.created`…).
 * `publish` awaits every subscriber in subscription order; a subscriber's error stops the publication and
 * reaches the publisher (for inbox events: the attempt fails and is retried, its transaction rolled back).
 * `publishAll` publishes the events of one transaction together: each event to the single-event subscribers, then
 * to each batch subscriber once, all the events of its type in order.
 */
@Injectable()
export class DomainEventsService {
  private readonly handlers = new Map<DomainEventType | '*', AnyHandler[]>();
  private readonly batchHandlers = new Map<DomainEventType, AnyBatchHandler[]>();

  /** Subscribes to one type; returns the function that unsubscribes. */
  subscribe<T extends DomainEventType>(type: T, handler: DomainEventHandler<T>): () => void {
    return this.add(type, handler as unknown as AnyHandler);
  }

  /** Subscribes to every type (e.g. a rules engine matching on `event.type` itself). */
  subscribeAll(handler: DomainEventHandler<DomainEventType>): () => void {
    return this.add('*', handler);
  }

  /** Subscribes to one type, getting the events of a `publishAll` (or the one of a `publish`) in one call. */
  subscribeBatch<T extends DomainEventType>(type: T, handler: DomainEventBatchHandler<T>): () => void {
    const list = this.batchHandlers.get(type) ?? [];
    list.push(handler as unknown as AnyBatchHandler);
    this.batchHandlers.set(type, list);
    return () =>
      this.batchHandlers.set(
        type,
        (this.batchHandlers.get(type) ?? []).filter((item) => item !== (handler as unknown)),
      );
  }

  async publish<T extends DomainEventType>(
    event: DomainEvent<T>,
    context: DomainEventContext = { manager: null },
  ): Promise<void> {
    await this.publishAll([event], context);
  }

  async publishAll(
    events: readonly DomainEvent[],
    context: DomainEventContext = { manager: null },
  ): Promise<void> {
    for (const event of events) {
      const handlers = [...(this.handlers.get(event.type) ?? []), ...(this.handlers.get('*') ?? [])];
      for (const handler of handlers) await handler(event, context);
    }
    for (const [type, handlers] of this.batchHandlers) {
      const mine = events.filter((event) => event.type === type);
      if (mine.length > 0) for (const handler of handlers) await handler(mine, context);
    }
  }

  private add(key: DomainEventType | '*', handler: AnyHandler): () => void {
    const list = this.handlers.get(key) ?? [];
    list.push(handler);
    this.handlers.set(key, list);
    return () => {
      const current = this.handlers.get(key) ?? [];
      this.handlers.set(
        key,
        current.filter((item) => item !== handler),
      );
    };
  }
}
