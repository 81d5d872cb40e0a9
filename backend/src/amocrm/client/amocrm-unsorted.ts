import { AmocrmApiError } from '../amocrm.problems';
import type { AmoContactInput, AmoCustomFieldValue, AmoTagInput } from './amocrm-api.types';
import { chunk, matchByRequestId, withRequestIds } from './amocrm-batches';
import type { AmocrmRequest, AmocrmResponse } from './amocrm-request';

/**
 * Incoming leads («Неразобранное», `leads/unsorted/forms`): a lead with its contact that waits in the pipeline's
 * incoming status until a manager accepts it. Accepting keeps the lead id (so a link to it survives).
 */

export interface AmoUnsortedFormMetadata {
  form_id: string;
  form_name: string;
  /** The page (or source) the form was sent from: shown to the manager as the source. */
  form_page: string;
  ip?: string;
  /** Unix seconds. */
  form_sent_at: number;
  referer?: string;
}

export interface AmoUnsortedLeadInput {
  name?: string;
  price?: number;
  custom_fields_values?: AmoCustomFieldValue[];
  _embedded?: { tags?: AmoTagInput[] };
}

export interface AmoUnsortedFormInput {
  /** Our id of the submission (unique per source). */
  source_uid: string;
  /** Shown to the manager as where the lead came from. */
  source_name: string;
  pipeline_id?: number;
  /** Unix seconds. */
  created_at?: number;
  metadata: AmoUnsortedFormMetadata;
  _embedded: { leads: [AmoUnsortedLeadInput]; contacts?: AmoContactInput[] };
  /** Set by the client when absent: the index of the entity in the call. */
  request_id?: string;
}

export interface AmoUnsortedCreateResult {
  requestId: string;
  uid: string;
  leadId: number;
  contactId: number | null;
}

export interface AmoUnsorted {
  uid: string;
  source_uid?: string;
  source_name?: string;
  category?: string;
  pipeline_id?: number;
  created_at?: number;
  metadata?: Record<string, unknown>;
  _embedded?: { leads?: { id: number }[]; contacts?: { id: number }[]; companies?: { id: number }[] };
}

interface UnsortedAnswerItem {
  uid: string;
  request_id?: unknown;
  _embedded?: { leads?: { id: number }[]; contacts?: { id: number }[] };
}

/** What the calls need of the account API: one request with its limits, retries and errors. */
export interface AmocrmRequester {
  request<T>(request: AmocrmRequest): Promise<AmocrmResponse<T>>;
}

export class AmocrmUnsortedApi {
  constructor(private readonly api: AmocrmRequester) {}

  /** Creates incoming leads, 50 per request, matched back by request_id; results in input order. */
  async createForms(inputs: readonly AmoUnsortedFormInput[]): Promise<AmoUnsortedCreateResult[]> {
    const results: AmoUnsortedCreateResult[] = [];
    for (const part of chunk(withRequestIds(inputs))) {
      const answer = await this.api.request<{ _embedded?: { unsorted?: UnsortedAnswerItem[] } }>({
        method: 'POST',
        path: '/api/v4/leads/unsorted/forms',
        body: part,
      });
      const rows = answer.data?._embedded?.unsorted ?? [];
      const ids = part.map((item) => item.request_id);
      // amoCRM answers in request order; request_id is matched when it is echoed, else the position decides
      const echoed = rows.some((row) => row.request_id !== undefined);
      const { matched, missing } = echoed
        ? matchByRequestId(ids, rows)
        : {
            matched: new Map(rows.slice(0, ids.length).map((row, index) => [ids[index], row])),
            missing: ids.slice(rows.length),
          };
      if (missing.length > 0)
        throw new AmocrmApiError(
          answer.status,
          `the answer does not mention request_id ${missing.slice(0, 5).join(', ')}`,
          answer.amocrmRequestId,
        );
      for (const requestId of ids) {
        const row = matched.get(requestId)!;
        const leadId = row._embedded?.leads?.[0]?.id;
        if (typeof leadId !== 'number')
          throw new AmocrmApiError(answer.status, `incoming lead ${row.uid} came back without a lead id`);
        results.push({
          requestId,
          uid: row.uid,
          leadId,
          contactId: row._embedded?.contacts?.[0]?.id ?? null,
        });
      }
    }
    return results;
  }

  /** The incoming leads still waiting (first page of up to 250). */
  async list(): Promise<AmoUnsorted[]> {
    const answer = await this.api.request<{ _embedded?: { unsorted?: AmoUnsorted[] } }>({
      method: 'GET',
      path: '/api/v4/leads/unsorted',
      query: { limit: 250 },
    });
    return answer.data?._embedded?.unsorted ?? [];
  }

  /** Accepts one incoming lead into `statusId` (default: the pipeline's first working stage); the lead id stays. */
  async accept(
    uid: string,
    options: { statusId?: number; userId?: number } = {},
  ): Promise<{ leadId: number | null }> {
    const answer = await this.api.request<UnsortedAnswerItem>({
      method: 'POST',
      path: `/api/v4/leads/unsorted/${encodeURIComponent(uid)}/accept`,
      body: {
        ...(options.statusId === undefined ? {} : { status_id: options.statusId }),
        ...(options.userId === undefined ? {} : { user_id: options.userId }),
      },
    });
    return { leadId: answer.data?._embedded?.leads?.[0]?.id ?? null };
  }
}
