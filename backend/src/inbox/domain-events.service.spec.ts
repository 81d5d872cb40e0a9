import type { DomainEvent } from './domain-events';
import { DomainEventsService } from './domain-events.service';

const moved = (entityId: string): DomainEvent<'lead.stage_changed'> => ({
  type: 'lead.stage_changed',
  workspaceId: 'w1',
  source: 'amocrm',
  inboxEventId: `event-${entityId}`,
  entityId,
  occurredAt: new Date(0),
  old: null,
  new: { pipelineId: '1', statusId: '2' },
});
const created = (entityId: string): DomainEvent<'contact.created'> => ({
  type: 'contact.created',
  workspaceId: 'w1',
  source: 'amocrm',
  inboxEventId: null,
  entityId,
  occurredAt: new Date(0),
  old: null,
  new: {},
});

describe('DomainEventsService: publishing the events of one commit together', () => {
  it('gives a batch subscriber every event of its type in one call, single-event subscribers each event in order', async () => {
    const domainEvents = new DomainEventsService();
    const calls: string[] = [];
    domainEvents.subscribe('lead.stage_changed', (event) => void calls.push(`one ${event.entityId}`));
    domainEvents.subscribeAll((event) => void calls.push(`all ${event.type} ${event.entityId}`));
    domainEvents.subscribeBatch('lead.stage_changed', (events) => {
      calls.push(`batch ${events.map((event) => event.entityId).join(',')}`);
    });
    await domainEvents.publishAll([moved('1'), created('7'), moved('2')], { manager: null });
    expect(calls).toEqual([
      'one 1',
      'all lead.stage_changed 1',
      'all contact.created 7',
      'one 2',
      'all lead.stage_changed 2',
      'batch 1,2',
    ]);
  });

  it('gives a batch subscriber a single published event, none when no event is of its type; unsubscribes', async () => {
    const domainEvents = new DomainEventsService();
    const batches: string[][] = [];
    const unsubscribe = domainEvents.subscribeBatch('lead.stage_changed', (events) => {
      batches.push(events.map((event) => event.entityId));
    });
    await domainEvents.publish(moved('3'));
    await domainEvents.publishAll([created('8')]);
    unsubscribe();
    await domainEvents.publish(moved('4'));
    expect(batches).toEqual([['3']]);
  });

  it("stops at a batch subscriber's error and gives it to the publisher", async () => {
    const domainEvents = new DomainEventsService();
    domainEvents.subscribeBatch('lead.stage_changed', () => {
      throw new Error('probe failed');
    });
    await expect(domainEvents.publishAll([moved('5')])).rejects.toThrow('probe failed');
  });
});
