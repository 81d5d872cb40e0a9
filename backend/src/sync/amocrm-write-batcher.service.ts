import { Injectable } from '@nestjs/common';
import { callerLane } from './amocrm-lane';
import type {
  AmoComplexLeadInput,
  AmoComplexResult,
  AmoContactInput,
  AmoLeadInput,
  AmoWriteResult,
} from '../amocrm/client/amocrm-api.types';
import { AMOCRM_BATCH_SIZE } from '../amocrm/client/amocrm-batches';
import { AmocrmClient } from '../amocrm/client/amocrm-client';
import type { AmoUnsortedCreateResult, AmoUnsortedFormInput } from '../amocrm/client/amocrm-unsorted';
import { AmocrmWriteQueue, type WriteFence } from './amocrm-write-queue';

type Kind = 'contacts' | 'leads' | 'complex' | 'unsorted';

/**
 * In the `import` lane a request of fewer than 50 entities waits up to this long for more rows of the import: when
 * the rows' local work is slower than the amoCRM lane, requests still go out (nearly) full instead of one per pace
 * step with the few rows ready. Live webhooks and API calls (other lanes) never wait.
 */
export const IMPORT_LINGER_MS = 400;

/**
 * Creates in amoCRM for the client API (interactive lane), coalesced per workspace and kind: concurrent
 * find-or-creates share `POST /api/v4/contacts` (`/leads`, `/leads/complex`) requests of up to 50 entities,
 * matched back by request_id (see AmocrmWriteQueue). One queue per workspace and kind in each process.
 */
@Injectable()
export class AmocrmWriteBatcher {
  private readonly queues = new Map<string, AmocrmWriteQueue<object, unknown>>();

  constructor(private readonly client: AmocrmClient) {}

  createContact(workspaceId: string, input: AmoContactInput, fence?: WriteFence): Promise<AmoWriteResult> {
    return this.queue<AmoContactInput, AmoWriteResult>(workspaceId, 'contacts', (inputs) =>
      this.client.forWorkspace(workspaceId, callerLane()).createContacts(inputs),
    ).submit(input, fence);
  }

  createLead(workspaceId: string, input: AmoLeadInput, fence?: WriteFence): Promise<AmoWriteResult> {
    return this.queue<AmoLeadInput, AmoWriteResult>(workspaceId, 'leads', (inputs) =>
      this.client.forWorkspace(workspaceId, callerLane()).createLeads(inputs),
    ).submit(input, fence);
  }

  /** A new lead with its new contact in one `leads/complex` entity. */
  createLeadWithContact(
    workspaceId: string,
    input: AmoComplexLeadInput,
    fence?: WriteFence,
  ): Promise<AmoComplexResult> {
    return this.queue<AmoComplexLeadInput, AmoComplexResult>(workspaceId, 'complex', (inputs) =>
      this.client.forWorkspace(workspaceId, callerLane()).createLeadsComplex(inputs),
    ).submit(input, fence);
  }

  /** A new incoming lead («Неразобранное») with its contact, shared `leads/unsorted/forms` requests of up to 50. */
  createIncomingLead(
    workspaceId: string,
    input: AmoUnsortedFormInput,
    fence?: WriteFence,
  ): Promise<AmoUnsortedCreateResult> {
    return this.queue<AmoUnsortedFormInput, AmoUnsortedCreateResult>(workspaceId, 'unsorted', (inputs) =>
      this.client.forWorkspace(workspaceId, callerLane()).unsorted.createForms(inputs),
    ).submit(input, fence);
  }

  private queue<I extends object, R>(
    workspaceId: string,
    kind: Kind,
    send: (inputs: (I & { request_id: string })[]) => Promise<R[]>,
  ): AmocrmWriteQueue<I, R> {
    const key = `${workspaceId}:${kind}:${callerLane()}`;
    let queue = this.queues.get(key) as AmocrmWriteQueue<I, R> | undefined;
    if (!queue) {
      const created: AmocrmWriteQueue<I, R> = new AmocrmWriteQueue<I, R>(
        send,
        { maxBatch: AMOCRM_BATCH_SIZE, lingerMs: callerLane() === 'import' ? IMPORT_LINGER_MS : 0 },
        () => {
          if (
            this.queues.get(key) === (created as unknown as AmocrmWriteQueue<object, unknown>) &&
            created.idle
          )
            this.queues.delete(key);
        },
      );
      queue = created;
      this.queues.set(key, queue as unknown as AmocrmWriteQueue<object, unknown>);
    }
    return queue;
  }
}
