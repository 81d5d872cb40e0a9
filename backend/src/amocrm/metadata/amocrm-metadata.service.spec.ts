import type { AmocrmClient } from '../client/amocrm-client';
import type { AmocrmConnectionsRepository } from '../connection/amocrm-connections.repository';
import type { AmocrmMetadataEntity } from './amocrm-metadata.entity';
import type { AmocrmMetadataRepository } from './amocrm-metadata.repository';
import { AmocrmMetadataService } from './amocrm-metadata.service';

describe('AmocrmMetadataService.getMetadata: the stored snapshot, remembered', () => {
  it('reads the snapshot once for the callers that miss the memory at the same time, then from memory', async () => {
    const reads: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const snapshots = {
      findByWorkspace: async (workspaceId: string) => {
        reads.push(workspaceId);
        await gate;
        return { snapshot: { pipelines: [] }, fetchedAt: new Date(0) } as unknown as AmocrmMetadataEntity;
      },
    } as unknown as AmocrmMetadataRepository;
    const service = new AmocrmMetadataService(
      {} as AmocrmClient,
      snapshots,
      {} as AmocrmConnectionsRepository,
    );
    const waiting = Promise.all([
      service.getMetadata('w1'),
      service.getMetadata('w1'),
      service.getMetadata('w2'),
      service.getMetadata('w1'),
    ]);
    release();
    const answers = await waiting;
    expect(reads).toEqual(['w1', 'w2']);
    expect(answers.map((metadata) => metadata?.fetchedAt.getTime())).toEqual([0, 0, 0, 0]);
    await service.getMetadata('w1');
    expect(reads).toEqual(['w1', 'w2']);
  });

  it('reads again after a failed read', async () => {
    let calls = 0;
    const snapshots = {
      findByWorkspace: () =>
        ++calls === 1 ? Promise.reject(new Error('database gone')) : Promise.resolve(null),
    } as unknown as AmocrmMetadataRepository;
    const service = new AmocrmMetadataService(
      {} as AmocrmClient,
      snapshots,
      {} as AmocrmConnectionsRepository,
    );
    await expect(service.getMetadata('w1')).rejects.toThrow('database gone');
    await expect(service.getMetadata('w1')).resolves.toBeNull();
    expect(calls).toBe(2);
  });
});
