import type { AmocrmWebhookChange } from '../amocrm/webhooks';
import { MicroBatcher } from '../batching/micro-batcher';
import type { EchoEntity, EchoGuardService, ObservedState } from '../sync/echo-guard.service';
import { echoCandidate, observedWebhookChange } from './echo-check';

/** One change to check against the writes we made. */
export interface EchoQuestion {
  entity: EchoEntity;
  amocrmId: number;
  observed: ObservedState;
}

interface EchoRead {
  workspaceId: string;
  questions: readonly EchoQuestion[];
}

/**
 * The echo checks of the runs going on at the same time, asked together: one Redis round trip for all their
 * changes (`EchoGuardService.areEchoes`) instead of one per change; each run gets the answers of its own.
 */
export class EchoReader {
  private readonly reads: MicroBatcher<EchoRead, boolean[]>;

  constructor(private readonly echo: EchoGuardService) {
    this.reads = new MicroBatcher((batch) => this.readBatch(batch), {
      maxItems: 200,
      maxBytes: 200,
      maxConcurrent: 2,
    });
  }

  /** For each question (in order), whether the change is our own write coming back. */
  areEchoes(workspaceId: string, questions: readonly EchoQuestion[]): Promise<boolean[]> {
    if (questions.length === 0) return Promise.resolve([]);
    return this.reads.submit({ workspaceId, questions });
  }

  /** The echo check of a webhook's changes (in order): only a creation or an update can be our own write. */
  async webhookChanges(
    workspaceId: string,
    changes: readonly (AmocrmWebhookChange & { entity: EchoEntity })[],
  ): Promise<boolean[]> {
    const asked = changes.flatMap((change, index) =>
      echoCandidate(change.action) ? [{ index, change }] : [],
    );
    const answers = await this.areEchoes(
      workspaceId,
      asked.map(({ change }) => ({
        entity: change.entity,
        amocrmId: change.id,
        observed: observedWebhookChange(change),
      })),
    );
    const echoes = changes.map(() => false);
    asked.forEach(({ index }, position) => (echoes[index] = answers[position]));
    return echoes;
  }

  private async readBatch(batch: EchoRead[]): Promise<boolean[][]> {
    const answers = await this.echo.areEchoes(
      batch.flatMap(({ workspaceId, questions }) =>
        questions.map((question) => ({ workspaceId, ...question })),
      ),
    );
    let next = 0;
    return batch.map(({ questions }) => questions.map(() => answers[next++]));
  }
}
