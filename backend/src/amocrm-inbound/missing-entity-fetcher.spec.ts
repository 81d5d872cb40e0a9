import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import { ProcessingTrace } from '../inbox/processing-trace';
import { fetchStep, MissingEntityFetcher, type EntityReader } from './missing-entity-fetcher';

interface Call {
  workspaceId: string;
  entity: 'lead' | 'contact';
  ids: number[];
  with?: string[];
}

/** Accounts where every id below 1000 exists; `failing` workspaces answer an error; reads can be held open. */
function fakeReaders(failing: string[] = []): {
  calls: Call[];
  hold: () => () => void;
  readerOf: (workspaceId: string) => EntityReader;
} {
  const calls: Call[] = [];
  let gate: Promise<void> = Promise.resolve();
  const answer = async <T>(call: Call, make: (id: number) => T): Promise<Map<number, T>> => {
    calls.push(call);
    await gate;
    if (failing.includes(call.workspaceId)) throw new Error(`amoCRM of ${call.workspaceId} is down`);
    return new Map(call.ids.filter((id) => id < 1000).map((id) => [id, make(id)]));
  };
  return {
    calls,
    hold() {
      let release = (): void => undefined;
      gate = new Promise((resolve) => (release = resolve));
      return () => release();
    },
    readerOf: (workspaceId) => ({
      getLeadsByIds: (ids, options) =>
        answer<AmoLead>({ workspaceId, entity: 'lead', ids: [...ids], with: options?.with }, (id) => ({
          id,
          name: `lead ${id}`,
          price: 0,
          status_id: 1,
          pipeline_id: 1,
          responsible_user_id: 1,
          created_at: 1,
          updated_at: 1,
          custom_fields_values: null,
        })),
      getContactsByIds: (ids) =>
        answer<AmoContact>({ workspaceId, entity: 'contact', ids: [...ids] }, (id) => ({
          id,
          name: `contact ${id}`,
          responsible_user_id: 1,
          created_at: 1,
          updated_at: 1,
          custom_fields_values: null,
        })),
    }),
  };
}

describe('reading what payloads lack from amoCRM, in batches', () => {
  it('reads the leads of runs asking at the same time together, with their contacts; each run gets its own', async () => {
    const readers = fakeReaders();
    const fetcher = new MissingEntityFetcher(readers.readerOf);
    const runs = Array.from({ length: 200 }, (_, run) => [run * 3 + 1, run * 3 + 2, 5]);
    const answers = await Promise.all(runs.map((ids) => fetcher.read('ws-1', 'lead', ids)));
    expect(readers.calls).toHaveLength(1);
    expect(readers.calls[0]).toMatchObject({ entity: 'lead', with: ['contacts'] });
    expect(new Set(readers.calls[0].ids).size).toBe(readers.calls[0].ids.length);
    answers.forEach((answer, run) =>
      expect([...answer.keys()].sort((a, b) => a - b)).toEqual([...new Set(runs[run])].sort((a, b) => a - b)),
    );
  });

  it('lets runs asking while a read is in flight wait and go together in the next one', async () => {
    const readers = fakeReaders();
    const fetcher = new MissingEntityFetcher(readers.readerOf, { maxConcurrent: 1 });
    const release = readers.hold();
    const first = fetcher.read('ws-1', 'contact', [1]);
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 50 }, (_, run) => fetcher.read('ws-1', 'contact', [100 + run]));
    release();
    await Promise.all([first, ...later]);
    expect(readers.calls.map((call) => call.ids.length)).toEqual([1, 50]);
  });

  it('leaves out what amoCRM does not have (deleted) and reads nothing for nothing', async () => {
    const readers = fakeReaders();
    const fetcher = new MissingEntityFetcher(readers.readerOf);
    const found = await fetcher.read('ws-1', 'lead', [7, 4000]);
    expect([...found.keys()]).toEqual([7]);
    expect((await fetcher.read('ws-1', 'lead', [])).size).toBe(0);
    expect(readers.calls).toHaveLength(1);
  });

  it('keeps workspaces and entities apart: a failing account fails only its own runs', async () => {
    const readers = fakeReaders(['ws-down']);
    const fetcher = new MissingEntityFetcher(readers.readerOf);
    const [down, up, contacts] = await Promise.allSettled([
      fetcher.read('ws-down', 'lead', [1]),
      fetcher.read('ws-up', 'lead', [2]),
      fetcher.read('ws-up', 'contact', [3]),
    ]);
    expect(down).toMatchObject({ status: 'rejected', reason: new Error('amoCRM of ws-down is down') });
    expect(up).toMatchObject({ status: 'fulfilled' });
    expect(contacts).toMatchObject({ status: 'fulfilled' });
    expect(
      readers.calls.map((call) => `${call.workspaceId}:${call.entity}:${call.ids.join()}`).sort(),
    ).toEqual(['ws-down:lead:1', 'ws-up:contact:3', 'ws-up:lead:2']);
  });

  it('tells the read in the trace: one entity by id with its reason, many by count with the first ids', async () => {
    expect(fetchStep('lead', [{ id: 12, reason: 'partial' }])).toEqual({
      name: 'fetch lead 12',
      detail: { reason: 'partial' },
    });
    const many = Array.from({ length: 30 }, (_, index) => ({
      id: index + 1,
      reason: index % 2 ? 'partial' : 'no contact',
    }));
    expect(fetchStep('contact', many)).toEqual({
      name: 'fetch 30 contacts',
      detail: {
        reasons: ['no contact', 'partial'],
        ids: Array.from({ length: 20 }, (_, index) => index + 1),
        more: 10,
      },
    });

    const trace = new ProcessingTrace(new AbortController().signal);
    const fetcher = new MissingEntityFetcher(fakeReaders().readerOf);
    const found = await fetcher.fetch(trace, 'ws-1', 'lead', [
      { id: 1, reason: 'partial' },
      { id: 2, reason: 'partial' },
    ]);
    expect(found.size).toBe(2);
    expect(trace.steps).toEqual([
      expect.objectContaining({
        name: 'fetch 2 leads',
        ok: true,
        detail: { reason: 'partial', ids: [1, 2] },
      }),
    ]);
  });
});
