import { Injectable } from '@nestjs/common';
import type { DomainEvent, DomainEventContext, DomainEventHandler, DomainEventType } from './domain-events';

type AnyHandler = (event: DomainEvent, context: DomainEventContext) => void | Promise<void>;

/**
 * A tiny typed in-process publish/subscribe for domain events (`lead.stage_changed`, `contact.created`…).
 * `publish` awaits every subscriber in subscription order; a subscriber's error stops the publication and
 * reaches the publisher (for inbox events: the attempt fails and is retried, its transaction rolled back).
 */
@Injectable()
export class DomainEventsService {
  private readonly handlers = new Map<DomainEventType | '*', AnyHandler[]>();

  /** Subscribes to one type; returns the function that unsubscribes. */
  subscribe<T extends DomainEventType>(type: T, handler: DomainEventHandler<T>): () => void {
    return this.add(type, handler as unknown as AnyHandler);
  }

  /** Subscribes to every type (e.g. a rules engine matching on `event.type` itself). */
  subscribeAll(handler: DomainEventHandler<DomainEventType>): () => void {
    return this.add('*', handler);
  }

  async publish<T extends DomainEventType>(
    event: DomainEvent<T>,
    context: DomainEventContext = { manager: null },
  ): Promise<void> {
    const handlers = [...(this.handlers.get(event.type) ?? []), ...(this.handlers.get('*') ?? [])];
    for (const handler of handlers) await handler(event, context);
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
