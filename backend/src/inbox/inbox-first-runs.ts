import type { Queue } from 'bull';
import type { Redis } from 'ioredis';
import { PROCESS_EVENT_JOB, intakeCountKey, type ProcessEventJobData } from './inbox-queue';

/**
 * Bull's addJob script (bull 4.16, lib/commands/addJob-6.lua) for a list of jobs at once, in the case the intake
 * needs: custom job ids, no delay, priority 0, FIFO (LPUSH), no debounce. Each job is written exactly as Bull
 * writes it — the counter INCR, the hash (name, data, opts, timestamp, delay, priority), LPUSH on the wait list (the
 * paused list while the queue is paused), the `waiting@token` publish — and a job id that exists is left alone and
 * announced as `duplicated@token`. Answers how many jobs were added.
 *
 * Then the webhooks POSTed to the api among them are counted in the intake's per-second key (IntakePressureService:
 * workers slow down while webhooks pour in), in the same call.
 *
 * KEYS: wait, paused, meta-paused, id, the intake count of this second. ARGV: key prefix, token, job name, timestamp, how many to count, then per job:
 * id, data, opts.
 */
const ADD_RUNS_LUA = `
local rcall = redis.call
local target = KEYS[1]
if rcall("EXISTS", KEYS[3]) == 1 then target = KEYS[2] end
local added = 0
for i = 6, #ARGV, 3 do
  local jobId = ARGV[i]
  local jobIdKey = ARGV[1] .. jobId
  rcall("INCR", KEYS[4])
  if rcall("EXISTS", jobIdKey) == 1 then
    rcall("PUBLISH", ARGV[1] .. "duplicated@" .. ARGV[2], jobId)
  else
    rcall("HMSET", jobIdKey, "name", ARGV[3], "data", ARGV[i + 1], "opts", ARGV[i + 2], "timestamp", ARGV[4],
      "delay", 0, "priority", 0)
    rcall("LPUSH", target, jobId)
    rcall("PUBLISH", KEYS[1] .. "ing@" .. ARGV[2], jobId)
    added = added + 1
  end
end
if tonumber(ARGV[5]) > 0 then
  rcall("INCRBY", KEYS[5], ARGV[5])
  rcall("EXPIRE", KEYS[5], 10)
end
return added
`;

/** What this needs of a Bull queue beyond its typings (the key names and the token Bull's scripts use). */
interface BullInternals {
  keys: Record<'' | 'wait' | 'paused' | 'meta-paused' | 'id', string>;
  token: string;
  defaultJobOptions?: Record<string, unknown>;
  client: Redis & { inboxAddFirstRuns?: (...args: (string | number)[]) => Promise<number> };
}

/**
 * Adds the first run (generation 0, job id = event id) of each stored event in one Redis call, as
 * InboxQueueService.enqueue would with Bull's addBulk (same job name, data, options, so the worker takes them
 * alike), without Bull's per-job Job objects, MULTI and one script call per job: on the webhook hot path these
 * cost about a sixth of the api's CPU per delivery.
 */
export async function addFirstRuns(
  queue: Queue<ProcessEventJobData>,
  eventIds: readonly string[],
  /** How many of them are webhooks a sender POSTed to the api (counted for the workers' yielding). */
  webhooks = 0,
): Promise<number> {
  if (eventIds.length === 0) return 0;
  await queue.isReady();
  const bull = queue as unknown as BullInternals;
  const client = bull.client;
  if (!client.inboxAddFirstRuns)
    client.defineCommand('inboxAddFirstRuns', { numberOfKeys: 5, lua: ADD_RUNS_LUA });
  const timestamp = Date.now();
  const args: (string | number)[] = [
    bull.keys.wait,
    bull.keys.paused,
    bull.keys['meta-paused'],
    bull.keys.id,
    intakeCountKey(queue, Math.floor(timestamp / 1000)),
    bull.keys[''],
    bull.token,
    PROCESS_EVENT_JOB,
    timestamp,
    webhooks,
  ];
  for (const id of eventIds) {
    // the options Bull stores for InboxQueueService.enqueue's job (queue defaults, then the job's, then its
    // own defaults: attempts, delay, timestamp)
    const opts = {
      ...bull.defaultJobOptions,
      jobId: id,
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: true,
      delay: 0,
      timestamp,
    };
    args.push(id, JSON.stringify({ eventId: id }), JSON.stringify(opts));
  }
  if (!client.inboxAddFirstRuns) throw new Error('the inboxAddFirstRuns Redis command could not be defined');
  return client.inboxAddFirstRuns(...args);
}
