import { randomBytes } from 'node:crypto';
import Bull, { type Job, type Queue } from 'bull';
import { addFirstRuns } from '../src/inbox/inbox-first-runs';
import { INBOX_QUEUE, PROCESS_EVENT_JOB, type ProcessEventJobData } from '../src/inbox/inbox-queue';
import { InboxQueueService } from '../src/inbox/inbox-queue.service';
import { redisOptionsFromUrl } from '../src/redis/redis-options';
import { waitFor } from './support/inbox';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The intake's one-call job add (src/inbox/inbox-first-runs.ts) against real Redis and Bull: its jobs are stored
 * exactly as InboxQueueService.enqueue's (Bull addBulk) — the same hash fields and options — go to the wait list
 * (the paused list while paused), are never added twice, and a Bull worker runs and removes them.
 */
describe('addFirstRuns: Bull jobs of the first runs in one Redis call', () => {
  let queue: Queue<ProcessEventJobData>;

  beforeEach(() => {
    // the queue options of QueueModule (defaultJobOptions included), under a prefix of its own
    queue = new Bull<ProcessEventJobData>(INBOX_QUEUE, {
      redis: { ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: null, enableReadyCheck: false },
      prefix: `t${randomBytes(5).toString('hex')}`,
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
    });
  });
  afterEach(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  const stored = async (id: string): Promise<Record<string, unknown>> => {
    const hash = await queue.client.hgetall(queue.toKey(id));
    const opts = JSON.parse(hash.opts) as Record<string, unknown>;
    // the time of the add differs between the two jobs; everything else must not
    return {
      ...hash,
      timestamp: typeof Number(hash.timestamp),
      opts: { ...opts, jobId: typeof opts.jobId, timestamp: typeof opts.timestamp },
      data: JSON.parse(hash.data) as unknown,
    };
  };

  it('stores each job exactly as Bull addBulk does through InboxQueueService.enqueue', async () => {
    await new InboxQueueService(queue).enqueue([{ id: 'by-bull', generation: 0 }]);
    expect(await addFirstRuns(queue, ['by-us-1', 'by-us-2'])).toBe(2);
    const reference = await stored('by-bull');
    expect(reference.name).toBe(PROCESS_EVENT_JOB);
    for (const id of ['by-us-1', 'by-us-2']) {
      expect(await stored(id)).toEqual({ ...reference, data: { eventId: id } });
    }
    expect(await queue.client.lrange(queue.toKey('wait'), 0, -1)).toEqual(['by-us-2', 'by-us-1', 'by-bull']);
    expect((await queue.getJob('by-us-1'))?.data).toEqual({ eventId: 'by-us-1' });
  });

  it('never adds a job id twice, and adds to the paused list while the queue is paused', async () => {
    await addFirstRuns(queue, ['a']);
    const before = await queue.client.hgetall(queue.toKey('a'));
    expect(await addFirstRuns(queue, ['a', 'b'])).toBe(1);
    expect(await queue.client.hgetall(queue.toKey('a'))).toEqual(before);
    expect(await queue.client.lrange(queue.toKey('wait'), 0, -1)).toEqual(['b', 'a']);
    await queue.pause();
    await addFirstRuns(queue, ['c']);
    expect(await queue.client.lrange(queue.toKey('paused'), 0, -1)).toContain('c');
    expect(await queue.client.lrange(queue.toKey('wait'), 0, -1)).not.toContain('c');
  });

  it('is run by a Bull worker, which removes the job when done', async () => {
    const ran: string[] = [];
    const done = new Promise<void>((resolve) => {
      void queue.process(PROCESS_EVENT_JOB, 2, (job: Job<ProcessEventJobData>) => {
        ran.push(job.data.eventId);
        if (ran.length === 3) setImmediate(resolve);
        return Promise.resolve();
      });
    });
    await addFirstRuns(queue, ['x', 'y', 'z']);
    await done;
    expect(ran.sort()).toEqual(['x', 'y', 'z']);
    // removed when Bull marks them completed, just after the handler's promise settles
    await waitFor(
      async () => (await queue.client.exists(queue.toKey('x'), queue.toKey('y'), queue.toKey('z'))) === 0,
      10_000,
      'the completed jobs removed',
    );
  });
});
