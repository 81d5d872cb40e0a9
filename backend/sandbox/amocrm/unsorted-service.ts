import { randomBytes } from 'node:crypto';
import type { AccountData } from './account-data';
import type { ChangeLog } from './change-log';
import type { Pipeline } from './entity-records';
import { embeddedOf, readBatch, requestIdOf } from './entity-writes';
import { asInteger, describeValue, isRecord, type JsonRecord } from './json-input';
import { MAX_COMPLEX_BATCH, type LeadsService } from './leads-service';
import { httpProblem } from './problems';
import { nowSeconds } from './sandbox-runtime';

/**
 * Incoming leads («Неразобранное», `leads/unsorted`): a form submission creates a lead (with at most one contact)
 * in its pipeline's incoming status (type 1); a manager accepts it, which moves the same lead (same id) to a
 * working status, or declines it.
 */

export interface UnsortedMetadata {
  form_id: string;
  form_name: string;
  form_page: string;
  ip: string;
  form_sent_at: number;
  referer: string;
}

export interface UnsortedRecord {
  uid: string;
  sourceUid: string;
  sourceName: string;
  pipelineId: number;
  createdAt: number;
  metadata: UnsortedMetadata;
  leadId: number;
  contactIds: number[];
  state: 'pending' | 'accepted' | 'declined';
}

export interface UnsortedCreated {
  record: UnsortedRecord;
  requestId: string;
}

function text(raw: JsonRecord, key: string): string {
  const value = raw[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export class UnsortedService {
  readonly records = new Map<string, UnsortedRecord>();

  constructor(
    private readonly data: AccountData,
    private readonly leads: LeadsService,
  ) {}

  /** The incoming status (type 1) of a pipeline. */
  incomingStatusId(pipeline: Pipeline): number {
    const incoming = pipeline.statuses.find((status) => status.type === 1);
    if (!incoming) throw httpProblem(400, `Pipeline ${pipeline.id} has no incoming status`);
    return incoming.id;
  }

  /** `POST /api/v4/leads/unsorted/forms`: every item checked first (400 naming it), then all created. */
  createForms(body: unknown, actorUserId: number, changes: ChangeLog): UnsortedCreated[] {
    const items = readBatch(body, MAX_COMPLEX_BATCH).map((raw, index) => this.read(raw, index));
    const complexBody = items.map((item) => item.complex);
    const results = this.leads.complex(complexBody, actorUserId, changes);
    return items.map((item, index) => {
      const result = results[index];
      const record: UnsortedRecord = {
        uid: randomBytes(16).toString('hex'),
        sourceUid: item.sourceUid,
        sourceName: item.sourceName,
        pipelineId: item.pipelineId,
        createdAt: item.createdAt,
        metadata: item.metadata,
        leadId: result.id,
        contactIds: result.contact_id === null ? [] : [result.contact_id],
        state: 'pending',
      };
      this.records.set(record.uid, record);
      return { record, requestId: item.requestId };
    });
  }

  list(): UnsortedRecord[] {
    return [...this.records.values()].filter((record) => record.state === 'pending');
  }

  /** Moves the lead (same id) out of "incoming" to `statusId` or the pipeline's first working stage. */
  accept(uid: string, body: unknown, actorUserId: number, changes: ChangeLog): UnsortedRecord {
    const record = this.pending(uid);
    const raw = isRecord(body) ? body : {};
    const pipeline = this.data.pipeline(record.pipelineId) ?? this.data.mainPipeline;
    const statusId =
      raw.status_id === undefined ? this.data.firstStage(pipeline).id : asInteger(raw.status_id);
    if (statusId === undefined || !pipeline.statuses.some((status) => status.id === statusId))
      throw httpProblem(400, `status_id ${describeValue(raw.status_id)} is not a status of the pipeline`);
    const userId = raw.user_id === undefined ? actorUserId : asInteger(raw.user_id);
    if (userId === undefined || !this.data.user(userId))
      throw httpProblem(400, `user_id ${describeValue(raw.user_id)} is not a user of this account`);
    this.leads.update({ status_id: statusId, pipeline_id: pipeline.id }, userId, changes, record.leadId);
    record.state = 'accepted';
    return record;
  }

  decline(uid: string): UnsortedRecord {
    const record = this.pending(uid);
    record.state = 'declined';
    return record;
  }

  render(record: UnsortedRecord): Record<string, unknown> {
    return {
      uid: record.uid,
      source_uid: record.sourceUid,
      source_name: record.sourceName,
      category: 'forms',
      pipeline_id: record.pipelineId,
      created_at: record.createdAt,
      metadata: record.metadata,
      account_id: this.data.id,
      _embedded: this.embedded(record),
    };
  }

  embedded(record: UnsortedRecord): Record<string, unknown> {
    return {
      leads: [{ id: record.leadId }],
      contacts: record.contactIds.map((id) => ({ id })),
      companies: [],
    };
  }

  private pending(uid: string): UnsortedRecord {
    const record = this.records.get(uid);
    if (!record || record.state !== 'pending') throw httpProblem(404, `Unsorted ${uid} not found`);
    return record;
  }

  private read(raw: unknown, index: number) {
    if (!isRecord(raw)) throw httpProblem(400, `[${index}] must be an object`);
    const requestId = requestIdOf(raw, index);
    const pipeline =
      raw.pipeline_id === undefined
        ? this.data.mainPipeline
        : this.data.pipeline(asInteger(raw.pipeline_id) ?? -1);
    if (!pipeline)
      throw httpProblem(400, `[${index}].pipeline_id ${describeValue(raw.pipeline_id)} not found`);
    const sourceUid = text(raw, 'source_uid');
    const sourceName = text(raw, 'source_name');
    if (sourceUid === '') throw httpProblem(400, `[${index}].source_uid is required`);
    if (sourceName === '') throw httpProblem(400, `[${index}].source_name is required`);
    const embedded = embeddedOf(raw);
    const leads = Array.isArray(embedded.leads) ? (embedded.leads as unknown[]) : [];
    const contacts = Array.isArray(embedded.contacts) ? (embedded.contacts as unknown[]) : [];
    if (leads.length !== 1 || !isRecord(leads[0]))
      throw httpProblem(400, `[${index}]._embedded.leads must hold one lead`);
    if (contacts.length > 1) throw httpProblem(400, `[${index}]._embedded.contacts: at most one contact`);
    const meta = isRecord(raw.metadata) ? raw.metadata : {};
    const now = nowSeconds();
    const createdAt = asInteger(raw.created_at) ?? now;
    const lead = leads[0];
    const leadEmbedded = embeddedOf(lead);
    return {
      requestId,
      sourceUid,
      sourceName,
      pipelineId: pipeline.id,
      createdAt,
      metadata: {
        form_id: text(meta, 'form_id'),
        form_name: text(meta, 'form_name'),
        form_page: text(meta, 'form_page'),
        ip: text(meta, 'ip'),
        form_sent_at: asInteger(meta.form_sent_at) ?? createdAt,
        referer: text(meta, 'referer'),
      },
      complex: {
        ...lead,
        request_id: requestId,
        pipeline_id: pipeline.id,
        status_id: this.incomingStatusId(pipeline),
        _embedded: { ...leadEmbedded, ...(contacts.length === 1 ? { contacts } : {}) },
      },
    };
  }
}
