import type {
  LptrackerContactFieldMeta,
  LptrackerCustomFieldMeta,
  LptrackerProjectInfo,
  LptrackerStaffMeta,
  LptrackerStageMeta,
} from '../metadata/lptracker-metadata.types';
import { LptrackerApiError } from '../lptracker.problems';
import { readCallRecords, type LptrackerCallRecord } from './lptracker-call-read';
import type { LptrackerRequest } from './lptracker-client';
import {
  readContactRecords,
  readLeadRecord,
  type LptrackerContactRecord,
  type LptrackerLeadRecord,
} from './lptracker-lead-read';
import { readContactFields, readCustoms, readFunnel, readProjects, readStaff } from './lptracker-read';

/** What `PUT /lead/{id}` changes: only the keys given are sent. */
export interface LptrackerLeadPatch {
  name?: string;
  /** A staff id; null clears the owner. */
  owner?: number | null;
  /** Custom field id → value (null or '' clears it). */
  custom?: Record<string, string | number | string[] | null>;
}

/** `POST /lead`. `callback` is false unless a caller explicitly asks for a phone call (never retried then). */
export interface LptrackerNewLead {
  contact_id?: number;
  contact?: {
    project_id: number;
    name?: string;
    details: { type: 'phone' | 'email'; data: string }[];
    fields?: Record<string, string>;
  };
  name?: string;
  funnel?: number;
  owner?: number;
  lead_date?: string;
  view?: { source?: string; campaign?: string; keyword?: string };
  custom?: Record<string, string | number | string[]>;
}

/** Typed calls to LPTracker with one login in one limiter lane; every method throws the typed LptrackerError. */
export class LptrackerAccountApi {
  constructor(private readonly send: (request: LptrackerRequest) => Promise<unknown>) {}

  /** Any LPTracker call, with the same limits, retries, re-login and `callback: true` rule as the typed methods. */
  request(request: LptrackerRequest): Promise<unknown> {
    return this.send(request);
  }

  async listProjects(): Promise<LptrackerProjectInfo[]> {
    return readProjects(await this.send({ method: 'GET', path: '/projects' }));
  }

  async listCustoms(projectId: number): Promise<LptrackerCustomFieldMeta[]> {
    return readCustoms(await this.send({ method: 'GET', path: `/project/${projectId}/customs` }));
  }

  async listContactFields(projectId: number): Promise<LptrackerContactFieldMeta[]> {
    return readContactFields(await this.send({ method: 'GET', path: `/project/${projectId}/fields` }));
  }

  async listFunnel(projectId: number): Promise<LptrackerStageMeta[]> {
    return readFunnel(await this.send({ method: 'GET', path: `/project/${projectId}/funnel` }));
  }

  async listStaff(): Promise<LptrackerStaffMeta[]> {
    return readStaff(await this.send({ method: 'GET', path: '/staff' }));
  }

  // ---- leads ----

  async getLead(leadId: number): Promise<LptrackerLeadRecord> {
    return this.lead(`/lead/${leadId}`, await this.send({ method: 'GET', path: `/lead/${leadId}` }));
  }

  /** `PUT /lead/{id}`: name, owner and custom values (only what the patch holds). */
  async updateLead(leadId: number, patch: LptrackerLeadPatch): Promise<LptrackerLeadRecord> {
    const path = `/lead/${leadId}`;
    return this.lead(path, await this.send({ method: 'PUT', path, body: patch }));
  }

  /** `PUT /lead/{id}/funnel`: moves the lead to a stage of its project's funnel. */
  async changeStage(leadId: number, stageId: number): Promise<LptrackerLeadRecord> {
    const path = `/lead/${leadId}/funnel`;
    return this.lead(path, await this.send({ method: 'PUT', path, body: { funnel: stageId } }));
  }

  /** `PUT /lead/{id}/custom/{field}`: one custom value (null or '' clears it). */
  async setCustom(leadId: number, fieldId: number, value: string | number | string[] | null): Promise<void> {
    await this.send({ method: 'PUT', path: `/lead/${leadId}/custom/${fieldId}`, body: { value } });
  }

  async addComment(leadId: number, text: string): Promise<void> {
    await this.send({ method: 'POST', path: `/lead/${leadId}/comment`, body: { text } });
  }

  /** `GET /lead/{id}/calls`: the lead's call records. */
  async listCalls(leadId: number): Promise<LptrackerCallRecord[]> {
    return readCallRecords(await this.send({ method: 'GET', path: `/lead/${leadId}/calls` }));
  }

  /**
   * `POST /lead`, always with `callback: false` unless `options.callback` is true: that places a real phone call,
   * and such a request is sent once, never retried.
   */
  async createLead(
    lead: LptrackerNewLead,
    options: { callback?: boolean } = {},
  ): Promise<LptrackerLeadRecord> {
    const body = { ...lead, callback: options.callback === true };
    return this.lead('/lead', await this.send({ method: 'POST', path: '/lead', body }));
  }

  /** `GET /contact/search`: contacts of the project with that phone or e-mail (at least one of them). */
  async searchContact(
    projectId: number,
    by: { phone?: string; email?: string },
  ): Promise<LptrackerContactRecord[]> {
    if (!by.phone && !by.email) throw new Error('searchContact needs a phone or an e-mail');
    const query: Record<string, string | number> = { project_id: projectId };
    if (by.phone) query.phone = by.phone;
    if (by.email) query.email = by.email;
    return readContactRecords(await this.send({ method: 'GET', path: '/contact/search', query }));
  }

  private lead(path: string, result: unknown): LptrackerLeadRecord {
    const lead = readLeadRecord(result);
    if (!lead) throw new LptrackerApiError(null, 'LPTracker answered no lead', path);
    return lead;
  }
}
