import { AmocrmUnavailableError, AmocrmValidationError } from '../amocrm/amocrm.problems';
import { AmocrmWriteQueue } from './amocrm-write-queue';
import { LockLostProblem } from './sync.problems';

interface Input {
  name: string;
}

/** A fake amoCRM create: records each request, answers ids in order (or what `answer` says). */
function fakeSend(answer?: (inputs: (Input & { request_id: string })[], call: number) => Promise<number[]>) {
  const requests: (Input & { request_id: string })[][] = [];
  let nextId = 100;
  const send = async (inputs: (Input & { request_id: string })[]) => {
    requests.push(inputs);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const ids = answer ? await answer(inputs, requests.length) : inputs.map(() => (nextId += 1));
    return ids.map((id, index) => ({ id, requestId: inputs[index].request_id }));
  };
  return { send, requests };
}

describe('AmocrmWriteQueue', () => {
  it('sends a lone entity at once and gives it its own result', async () => {
    const { send, requests } = fakeSend();
    const queue = new AmocrmWriteQueue(send, { maxBatch: 50 });
    expect(await queue.submit({ name: 'a' })).toEqual({ id: 101, requestId: '0' });
    expect(requests).toHaveLength(1);
  });

  it('coalesces entities submitted while a request is in flight, up to 50 per request', async () => {
    const { send, requests } = fakeSend();
    const queue = new AmocrmWriteQueue(send, { maxBatch: 50 });
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) => queue.submit({ name: `n${index}` })),
    );
    expect(requests.map((request) => request.length)).toEqual([50, 50, 20]);
    expect(new Set(results.map((result) => result.id)).size).toBe(120);
    // request ids are positions within each request, results matched back in order
    expect(requests[1].map((input) => input.request_id)).toEqual(
      Array.from({ length: 50 }, (_, index) => String(index)),
    );
    expect(results[60]).toEqual({ id: 161, requestId: '10' });
  });

  it('keeps one request in flight: arrivals during it go together in the next one', async () => {
    const { send, requests } = fakeSend();
    const queue = new AmocrmWriteQueue(send, { maxBatch: 50 });
    const first = queue.submit({ name: 'first' });
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 5 }, (_, index) => queue.submit({ name: `later${index}` }));
    await Promise.all([first, ...later]);
    expect(requests.map((request) => request.map((input) => input.name))).toEqual([
      ['first'],
      ['later0', 'later1', 'later2', 'later3', 'later4'],
    ]);
    expect(queue.idle).toBe(true);
  });

  it('fails only the entities amoCRM refused and sends the others again', async () => {
    const issue = {
      requestId: '1',
      path: 'custom_fields_values.0.values.0.value',
      code: 'InvalidType',
      detail: 'bad',
    };
    const { send, requests } = fakeSend((inputs, call) =>
      call === 1
        ? Promise.reject(new AmocrmValidationError([issue]))
        : Promise.resolve(inputs.map((_, index) => 200 + index)),
    );
    const queue = new AmocrmWriteQueue(send, { maxBatch: 50 });
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((name) => queue.submit({ name })));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (outcomes[1] as PromiseRejectedResult).reason as AmocrmValidationError;
    expect(refused).toBeInstanceOf(AmocrmValidationError);
    expect(refused.issues).toEqual([
      expect.objectContaining({ path: 'custom_fields_values.0.values.0.value', requestId: '0' }),
    ]);
    expect(requests.map((request) => request.map((input) => input.name))).toEqual([
      ['a', 'bad', 'c'],
      ['a', 'c'],
    ]);
  });

  it('fails every entity of a request that failed otherwise (none of them is known written)', async () => {
    const { send } = fakeSend(() => Promise.reject(new AmocrmUnavailableError('down', 10)));
    const queue = new AmocrmWriteQueue(send, { maxBatch: 50 });
    const outcomes = await Promise.allSettled([queue.submit({ name: 'a' }), queue.submit({ name: 'b' })]);
    expect(
      outcomes.every(
        (outcome) => outcome.status === 'rejected' && outcome.reason instanceof AmocrmUnavailableError,
      ),
    ).toBe(true);
  });

  it('does not send an entity whose caller lost its lock while waiting (fencing)', async () => {
    const { send, requests } = fakeSend();
    const queue = new AmocrmWriteQueue(send, { maxBatch: 50 });
    const fence = { lost: false };
    const first = queue.submit({ name: 'first' });
    await new Promise((resolve) => setImmediate(resolve));
    const fenced = queue.submit({ name: 'fenced' }, fence);
    fence.lost = true;
    await expect(fenced).rejects.toBeInstanceOf(LockLostProblem);
    await first;
    expect(requests.flat().map((input) => input.name)).toEqual(['first']);
  });
});
