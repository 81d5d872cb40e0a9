import type { AmocrmClient } from '../amocrm/client/amocrm-client';
import type { AmocrmLane } from '../amocrm/client/amocrm-rate-limiter';
import { callerLane, inAmocrmLane } from './amocrm-lane';
import { AmocrmWriteBatcher } from './amocrm-write-batcher.service';

describe('amoCRM lane of engine calls', () => {
  it('is interactive unless a caller runs the work in another lane (across awaits)', async () => {
    expect(callerLane()).toBe('interactive');
    const seen = await inAmocrmLane('import', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return callerLane();
    });
    expect(seen).toBe('import');
    expect(callerLane()).toBe('interactive');
  });

  it('sends creates made in the import lane in that lane, never in one request with interactive creates', async () => {
    const sent: { lane: AmocrmLane; count: number }[] = [];
    // a recording client (unit test): answers one id per entity, in order
    const client = {
      forWorkspace: (_workspaceId: string, lane: AmocrmLane) => ({
        createContacts: (inputs: { request_id: string }[]) => {
          sent.push({ lane, count: inputs.length });
          return Promise.resolve(
            inputs.map((input, index) => ({ requestId: input.request_id, id: index + 1 })),
          );
        },
      }),
    } as unknown as AmocrmClient;
    const batcher = new AmocrmWriteBatcher(client);
    await Promise.all([
      ...Array.from({ length: 3 }, () =>
        inAmocrmLane('import', () => batcher.createContact('w', { name: 'a' })),
      ),
      batcher.createContact('w', { name: 'b' }),
    ]);
    expect(sent.filter((s) => s.lane === 'import').reduce((sum, s) => sum + s.count, 0)).toBe(3);
    expect(sent.filter((s) => s.lane === 'interactive').reduce((sum, s) => sum + s.count, 0)).toBe(1);
  });
});
