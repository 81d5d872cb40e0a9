import { FakeRedis } from '../../test/support/fake-redis';
import { loadConfig } from '../config/load-config';
import type { InboxEventRequeuesRepository, StaleEvent } from './inbox-event-requeues.repository';
import type { EventRun, InboxQueueService } from './inbox-queue.service';
import { InboxSweeperService, PAGE, QUIET_PAGES } from './inbox-sweeper.service';

type Waiting = StaleEvent & { updatedAt: Date };

/**
 * The waiting events as the repository pages them (status, then updated_at and id after the cursor) and the runs
 * Redis holds: what the sweeper reads, without a database (the SQL itself is covered by inbox-redis-flush).
 */
function backlog(size: number, lost: ReadonlySet<number> = new Set()) {
  const events: Waiting[] = Array.from({ length: size }, (_, n) => ({
    id: `e${String(n).padStart(6, '0')}`,
    status: 'queued',
    generation: 0,
    dueInMs: 0,
    updatedAt: new Date(1_700_000_000_000 + n),
  }));
  const lostIds = new Set([...lost].map((n) => events[n].id));
  const read: string[] = [];
  const requeued: string[] = [];
  const repository = {
    findLapsedLeases: () => Promise.resolve([]),
    findStaleWaiting: (
      status: 'received' | 'queued',
      _olderThanMs: number,
      after: { updatedAt: Date; id: string } | null,
      limit: number,
    ): Promise<Waiting[]> => {
      const page = events
        .filter((event) => event.status === status)
        .filter(
          (event) =>
            !after ||
            event.updatedAt > after.updatedAt ||
            (event.updatedAt.getTime() === after.updatedAt.getTime() && event.id > after.id),
        )
        .slice(0, limit);
      read.push(...page.map((event) => event.id));
      return Promise.resolve(page);
    },
    requeueWaiting: (ids: string[]) => {
      requeued.push(...ids);
      for (const id of ids) lostIds.delete(id);
      return Promise.resolve(ids.map((id) => ({ id, generation: 1, dueInMs: 0 })));
    },
  };
  const queue = {
    alive: (runs: EventRun[]) => Promise.resolve(runs.map((run) => !lostIds.has(run.id))),
    enqueue: () => Promise.resolve(),
  };
  const sweeper = new InboxSweeperService(
    loadConfig({}),
    repository as unknown as InboxEventRequeuesRepository,
    queue as unknown as InboxQueueService,
    new FakeRedis().asRedis(),
  );
  return { events, sweeper, read, requeued };
}

describe('InboxSweeperService: a backlog costs each sweep a bounded look, and nothing lost is left behind', () => {
  it('checks QUIET_PAGES pages of a healthy backlog per sweep, continuing where it stopped, then from the oldest', async () => {
    const size = PAGE * QUIET_PAGES * 2 + 500;
    const { sweeper, read } = backlog(size);
    const first = await sweeper.sweep();
    expect(first?.checked).toBe(PAGE * QUIET_PAGES);
    expect(read[0]).toBe('e000000');
    const second = await sweeper.sweep();
    expect(second?.checked).toBe(PAGE * QUIET_PAGES);
    expect(read[PAGE * QUIET_PAGES]).toBe(`e${String(PAGE * QUIET_PAGES).padStart(6, '0')}`);
    // the rest (a page not full) ends the round; the next sweep starts from the oldest again
    const third = await sweeper.sweep();
    expect(third?.checked).toBe(500);
    await sweeper.sweep();
    expect(read[size]).toBe('e000000');
    expect(new Set(read).size).toBe(size);
  });

  it('goes on through every page while it finds runs Redis lost (a FLUSHALL): all queued again in one sweep', async () => {
    const size = PAGE * (QUIET_PAGES + 3);
    const { sweeper, requeued } = backlog(size, new Set(Array.from({ length: size }, (_, n) => n)));
    const report = await sweeper.sweep();
    expect(report?.requeued).toBe(size);
    expect(requeued).toHaveLength(size);
  });

  it('finds a single lost run deep in a healthy backlog within a round of sweeps', async () => {
    const size = PAGE * QUIET_PAGES * 3;
    const deep = size - 7;
    const { sweeper, requeued, events } = backlog(size, new Set([deep]));
    let sweeps = 0;
    while (requeued.length === 0 && sweeps < 10) {
      await sweeper.sweep();
      sweeps += 1;
    }
    expect(requeued).toEqual([events[deep].id]);
    expect(sweeps).toBe(3);
  });
});
