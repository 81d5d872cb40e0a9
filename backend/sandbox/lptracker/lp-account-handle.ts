import type { CallbackCall, LpAccount, LpAccountCredentials } from './lp-account';
import type { CallbackDelivery, CallbackDeliveryFilter } from './lp-callback-dispatcher';
import { renderProjectFull } from './lp-control-data';
import { readLeadPatch, readNewLead } from './lp-input';
import {
  addContactField,
  addCustomField,
  addProject,
  addStaff,
  addStage,
  removeCustomField,
  removeStage,
  type ProjectInput,
} from './lp-metadata';
import type { LpActor, LpContactField, LpCustomField, LpProject, LpStaff, LpStage } from './lp-records';
import { renderCall, renderContact, renderLead } from './lp-render';
import type { LpRequestEntry, LpRequestFilter } from './lp-request-log';
import type { LpAccountSettings } from './lp-runtime';
import type { LpSession } from './lp-sessions';
import { summarizeLpAccount, type LpAccountSummary } from './lp-summary';

/** A lead or contact as the API answers it (`GET /lead/{id}`, `GET /contact/{id}`). */
export type LpEntityJson = Record<string, unknown>;

/** Changes "made by hand in LPTracker" (no service): they fire webhooks like API writes do. */
export interface LpManagerSimulator {
  /** Body as for `POST /lead`; `staffId` defaults to the first staff member. */
  createLead(body: Record<string, unknown>, staffId?: number): LpEntityJson;
  /** Body as for `PUT /lead/{id}`. */
  updateLead(id: number, body: Record<string, unknown>, staffId?: number): LpEntityJson;
  moveLead(id: number, stageId: number, staffId?: number): LpEntityJson;
  deleteLead(id: number, staffId?: number): void;
  /**
   * A call the manager made or took on the lead ended: recorded (time now unless given, unix seconds) and published
   * as a lead update (`action_update_fields: ["calls"]`). Answers the call as `GET /lead/{id}/calls` lists it.
   */
  finishCall(id: number, call: LpCallInput, staffId?: number): Record<string, unknown>;
}

/** A finished call of the simulator: the `disposition` as LPTracker writes it (`ANSWERED`, `NO ANSWER`, `BUSY`…). */
export interface LpCallInput {
  duration: number;
  disposition: string;
  type?: 'in' | 'out';
  record?: string | null;
  time?: number;
}

/** Typed access to one sandbox account for in-process tests. */
export class LpAccountHandle {
  readonly manager: LpManagerSimulator;

  constructor(private readonly account: LpAccount) {
    const actor = (staffId?: number): LpActor => ({
      staffId: staffId ?? account.staff[0]?.id ?? null,
      service: null,
    });
    this.manager = {
      createLead: (body, staffId) =>
        this.lead(account.service.createLead(readNewLead(body), actor(staffId)).id) ?? {},
      updateLead: (id, body, staffId) => {
        account.service.updateLead(id, readLeadPatch(body), actor(staffId));
        return this.lead(id) ?? {};
      },
      moveLead: (id, stageId, staffId) => {
        account.service.updateLead(id, { stageId }, actor(staffId));
        return this.lead(id) ?? {};
      },
      deleteLead: (id, staffId) => account.service.deleteLead(id, actor(staffId)),
      finishCall: (id, call, staffId) => {
        const who = actor(staffId);
        const time = call.time ?? Math.floor(Date.now() / 1000);
        return renderCall(
          account.service.finishCall(
            id,
            {
              time,
              duration: call.duration,
              type: call.type ?? 'out',
              disposition: call.disposition,
              record: call.record ?? null,
              ownerId: who.staffId,
            },
            who,
          ),
        );
      },
    };
  }

  get credentials(): LpAccountCredentials {
    return this.account.credentials;
  }

  summary(): LpAccountSummary {
    return summarizeLpAccount(this.account);
  }

  setSettings(settings: Partial<LpAccountSettings>): void {
    Object.assign(this.account.settings, settings);
  }

  /** Another login of the same account (its own 3 requests per second). */
  addLogin(login: string, password: string): void {
    if ([...this.account.logins.keys()].includes(login)) return;
    this.account.logins.set(login, password);
  }

  // ---- metadata ----

  projects(): LpEntityJson[] {
    return [...this.account.projects.values()].map(renderProjectFull);
  }

  /** The first project (the demo's «Сайт»). */
  get firstProject(): LpProject {
    const [project] = this.account.projects.values();
    if (!project) throw new Error(`Account "${this.account.key}" has no project`);
    return structuredClone(project);
  }

  project(id: number): LpProject {
    return structuredClone(this.account.requireProject(id));
  }

  addProject(input: ProjectInput): LpProject {
    return structuredClone(addProject(this.account, input));
  }

  addCustomField(
    projectId: number,
    input: { name: string; type?: string; options?: string[] },
  ): LpCustomField {
    return { ...addCustomField(this.account, projectId, input) };
  }

  removeCustomField(projectId: number, fieldId: number): void {
    removeCustomField(this.account, projectId, fieldId);
  }

  addContactField(projectId: number, input: { name: string; type?: string }): LpContactField {
    return { ...addContactField(this.account, projectId, input) };
  }

  addStage(projectId: number, name: string): LpStage {
    return { ...addStage(this.account, projectId, { name }) };
  }

  removeStage(projectId: number, stageId: number): void {
    removeStage(this.account, projectId, stageId);
  }

  staff(): LpStaff[] {
    return this.account.staff.map((member) => ({ ...member }));
  }

  addStaff(input: { name: string; job?: string; email?: string }): LpStaff {
    return { ...addStaff(this.account, input) };
  }

  // ---- entities ----

  leads(): LpEntityJson[] {
    return [...this.account.leads.keys()].map((id) => this.lead(id) ?? {});
  }

  lead(id: number): LpEntityJson | undefined {
    const lead = this.account.leads.get(id);
    if (!lead) return undefined;
    return renderLead(
      lead,
      this.account.requireContact(lead.contactId),
      this.account.requireProject(lead.projectId),
    );
  }

  contacts(): LpEntityJson[] {
    return [...this.account.contacts.values()].map((contact) =>
      renderContact(contact, this.account.projects.get(contact.projectId)),
    );
  }

  // ---- what happened ----

  requests(filter?: LpRequestFilter): LpRequestEntry[] {
    return this.account.requests.list(filter);
  }

  /** `{"POST /lead": 2}`: calls per route (`POST /login` included). */
  requestCounts(filter?: LpRequestFilter): Record<string, number> {
    return this.account.requests.counts(filter);
  }

  clearRequests(): void {
    this.account.requests.clear();
  }

  /** Phone calls placed because a lead came with `callback: true`. */
  callbackCalls(): CallbackCall[] {
    return this.account.callbackCalls.map((call) => ({ ...call }));
  }

  deliveries(filter?: CallbackDeliveryFilter): CallbackDelivery[] {
    return this.account.dispatcher.list(filter);
  }

  /** Resolves once every webhook queued so far was delivered or given up (retries included). */
  whenDeliveriesIdle(): Promise<void> {
    return this.account.dispatcher.idle();
  }

  // ---- tokens ----

  sessions(): LpSession[] {
    return this.account.sessions.live();
  }

  /** Kills every live token (of one login when given) now; answers how many. */
  expireTokens(login?: string): number {
    return this.account.sessions.expireAll(login);
  }

  /** Makes the tokens look idle for `seconds` longer (past `tokenIdleSec` their next use fails). */
  ageTokens(seconds: number): void {
    this.account.sessions.age(seconds);
  }
}
