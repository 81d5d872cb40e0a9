import { randomBytes } from 'node:crypto';

import { SlidingWindowLimiter } from '../amocrm/rate-limiter';
import { LpCallbackDispatcher, type CallbackBodyFormat } from './lp-callback-dispatcher';
import { LpError, notFound } from './lp-errors';
import { LpLeadService } from './lp-leads';
import type { LpContact, LpLead, LpProject, LpStaff } from './lp-records';
import { LpRequestLog } from './lp-request-log';
import type { LpAccountSettings, LpIdKind, LpRuntime } from './lp-runtime';
import { LpSessions } from './lp-sessions';
import { buildLeadPayload, type LeadEvent } from './lp-webhook-payload';

export interface LpAccountInput {
  /** How the control API names the account (default `acc<N>`): lowercase letters, digits, dashes. */
  key?: string;
  name?: string;
  /** Default `<key>@lptracker.local`. */
  login?: string;
  /** Default: random. */
  password?: string;
  /** Requests per second per login (default: the sandbox's, 3); 0 turns the limit off. */
  rps?: number;
  /** The demo project «Сайт» with fields, a funnel, two staff members and a few leads. */
  seed?: boolean;
  settings?: Partial<LpAccountSettings>;
}

export interface LpAccountCredentials {
  key: string;
  name: string;
  login: string;
  password: string;
  /** The base URL the product calls (one server holds every account; the login tells them apart). */
  baseUrl: string;
}

/** A phone call placed because a lead was sent with `callback: true`. */
export interface CallbackCall {
  leadId: number;
  projectId: number;
  contactId: number;
  phone: string | null;
  login: string | null;
  service: string | null;
  at: number;
}

/** One LPTracker account: logins, projects with their metadata, staff, contacts, leads and logs. */
export class LpAccount {
  readonly name: string;
  /** login → password; the first one is the account's own. */
  readonly logins = new Map<string, string>();
  readonly settings: LpAccountSettings;
  readonly projects = new Map<number, LpProject>();
  readonly staff: LpStaff[] = [];
  readonly contacts = new Map<number, LpContact>();
  readonly leads = new Map<number, LpLead>();
  readonly sessions = new LpSessions();
  readonly requests: LpRequestLog;
  readonly dispatcher: LpCallbackDispatcher;
  readonly callbackCalls: CallbackCall[] = [];
  readonly service: LpLeadService;
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  constructor(
    readonly key: string,
    input: LpAccountInput,
    private readonly runtime: LpRuntime,
  ) {
    const defaults = runtime.settings;
    this.name = input.name ?? `Компания ${key}`;
    this.settings = {
      rps: input.rps ?? defaults.rps,
      tokenIdleSec: defaults.tokenIdleSec,
      rateLimitHttpStatus: defaults.rateLimitHttpStatus,
      webhookBody: defaults.webhookBody,
      updateFieldsAsString: defaults.updateFieldsAsString,
      callsInWebhook: defaults.callsInWebhook,
      ...input.settings,
    };
    this.logins.set(
      input.login ?? `${key}@lptracker.local`,
      input.password ?? randomBytes(12).toString('base64url'),
    );
    this.requests = new LpRequestLog(defaults.requestLogLimit);
    this.dispatcher = new LpCallbackDispatcher(
      () => runtime.ids.next('delivery'),
      () => ({
        attempts: runtime.settings.webhookAttempts,
        retryDelaysMs: runtime.settings.webhookRetryDelaysMs,
        timeoutMs: runtime.settings.deliveryTimeoutMs,
      }),
      defaults.deliveryLogLimit,
    );
    this.service = new LpLeadService(this);
  }

  get credentials(): LpAccountCredentials {
    const [login, password] = [...this.logins][0];
    return { key: this.key, name: this.name, login, password, baseUrl: this.runtime.publicUrl };
  }

  nextId(kind: LpIdKind): number {
    return this.runtime.ids.next(kind);
  }

  requireProject(id: number): LpProject {
    const project = this.projects.get(id);
    if (!project) throw notFound(`Project ${id}`);
    return project;
  }

  requireLead(id: number): LpLead {
    const lead = this.leads.get(id);
    if (!lead) throw notFound(`Lead ${id}`);
    return lead;
  }

  requireContact(id: number): LpContact {
    const contact = this.contacts.get(id);
    if (!contact) throw notFound(`Contact ${id}`);
    return contact;
  }

  /** Counts one request of a login against its limit; false when it is over. */
  admit(login: string, now: number): boolean {
    if (!(this.settings.rps > 0)) return true;
    let limiter = this.limiters.get(login);
    if (!limiter) {
      limiter = new SlidingWindowLimiter();
      this.limiters.set(login, limiter);
    }
    return limiter.tryAcquire(this.settings.rps, now);
  }

  rateLimited(): LpError {
    return new LpError(503, 'Too many requests: at most 3 per second', this.settings.rateLimitHttpStatus);
  }

  /** Snapshots the lead now and queues a POST to every callback URL of its project. */
  publish(event: Omit<LeadEvent, 'staff' | 'fieldsAsString' | 'withCalls'>): void {
    const callbacks = event.project.callbacks;
    if (callbacks.length === 0) return;
    const payload = JSON.stringify(
      buildLeadPayload({
        ...event,
        staff: this.staff,
        fieldsAsString: this.settings.updateFieldsAsString,
        withCalls: this.settings.callsInWebhook,
      }),
    );
    const formats: CallbackBodyFormat[] =
      this.settings.webhookBody === 'both' ? ['form', 'json'] : [this.settings.webhookBody];
    for (const callback of callbacks) {
      for (const format of formats) {
        this.dispatcher.enqueue({
          projectId: event.project.id,
          leadId: event.lead.id,
          callbackId: callback.id,
          url: callback.url,
          action: event.action,
          format,
          payload,
        });
      }
    }
  }

  close(): void {
    this.dispatcher.close();
  }
}
