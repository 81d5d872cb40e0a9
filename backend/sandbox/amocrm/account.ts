import { randomBytes, randomUUID } from 'node:crypto';

import { AccountData } from './account-data';
import { buildAccountFixtures } from './account-fixtures';
import { AccountGate } from './account-gate';
import type { ChangeLog } from './change-log';
import { CompaniesService } from './companies-service';
import { ContactsService } from './contacts-service';
import { encodeForm } from './form-encoding';
import { buildEventGroups, legacyBody } from './legacy-webhook-payload';
import { LeadsService } from './leads-service';
import { NotesTasksService } from './notes-tasks-service';
import { emptyTokenCounters, OAuthTokenStore, type GrantKind, type TokenCallCounters } from './oauth-tokens';
import { RequestLog } from './request-log';
import type { SandboxRuntime } from './sandbox-runtime';
import { UnsortedService } from './unsorted-service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSubscriptions } from './webhook-subscriptions';

export interface CreateAccountInput {
  /** Default: `acc<N>`. Lowercase letters, digits and dashes. */
  subdomain?: string;
  name?: string;
  /** Requests per second before 429 (default: the sandbox's, 7). */
  rps?: number;
  /** ~30 contacts and ~40 leads with realistic Russian data. */
  seed?: boolean;
  redirectUri?: string;
  clientId?: string;
  clientSecret?: string;
  longLivedToken?: string;
  accessTokenTtlSec?: number;
  blockAfter429s?: number;
}

export interface AmoAccountCredentials {
  id: number;
  subdomain: string;
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUri?: string;
  longLivedToken: string;
  /** `http://127.0.0.1:4010/<subdomain>`: the base URL to call this account at. */
  baseUrl: string;
}

/** Knobs that can differ per account and change at run time. */
export interface AccountSettings {
  rps: number;
  accessTokenTtlSec: number;
  blockAfter429s: number;
}

/** One sandbox account: its data, OAuth state, limits, webhooks and logs. */
export class AmoAccount {
  readonly data: AccountData;
  readonly contacts: ContactsService;
  readonly leads: LeadsService;
  readonly companies: CompaniesService;
  readonly unsorted: UnsortedService;
  readonly notesTasks: NotesTasksService;
  readonly tokens: OAuthTokenStore;
  readonly gate: AccountGate;
  readonly webhooks: WebhookSubscriptions;
  readonly dispatcher: WebhookDispatcher;
  readonly requestLog: RequestLog;
  readonly settings: AccountSettings;
  readonly clientId: string;
  readonly clientSecret: string;
  redirectUri: string | undefined;
  private counters: TokenCallCounters = emptyTokenCounters();

  constructor(
    id: number,
    subdomain: string,
    input: CreateAccountInput,
    private readonly runtime: SandboxRuntime,
  ) {
    const defaults = runtime.settings;
    this.settings = {
      rps: input.rps ?? defaults.rps,
      accessTokenTtlSec: input.accessTokenTtlSec ?? defaults.accessTokenTtlSec,
      blockAfter429s: input.blockAfter429s ?? defaults.blockAfter429s,
    };
    this.clientId = input.clientId ?? randomUUID();
    this.clientSecret = input.clientSecret ?? randomBytes(32).toString('base64url');
    this.redirectUri = input.redirectUri;
    const fixtures = buildAccountFixtures((kind) => runtime.ids.next(kind));
    this.data = new AccountData(id, subdomain, input.name ?? `Компания ${subdomain}`, fixtures, runtime);
    this.contacts = new ContactsService(this.data);
    this.companies = new CompaniesService(this.data);
    this.leads = new LeadsService(this.data, this.contacts, this.companies);
    this.unsorted = new UnsortedService(this.data, this.leads);
    this.notesTasks = new NotesTasksService(this.data);
    this.tokens = new OAuthTokenStore(
      id,
      () => this.clientId,
      fixtures.currentUserId,
      () => ({
        ...defaults,
        accessTokenTtlSec: this.settings.accessTokenTtlSec,
      }),
    );
    this.tokens.issueLongLived(input.longLivedToken);
    this.gate = new AccountGate(() => ({
      rps: this.settings.rps,
      blockAfter429s: this.settings.blockAfter429s,
      blockWindowSec: defaults.blockWindowSec,
    }));
    this.webhooks = new WebhookSubscriptions(() => runtime.ids.next('webhook'));
    this.dispatcher = new WebhookDispatcher(
      () => runtime.ids.next('delivery'),
      defaults.deliveryTimeoutMs,
      defaults.deliveryLogLimit,
    );
    this.requestLog = new RequestLog(defaults.requestLogLimit);
  }

  get id(): number {
    return this.data.id;
  }

  get subdomain(): string {
    return this.data.subdomain;
  }

  get credentials(): AmoAccountCredentials {
    return {
      id: this.data.id,
      subdomain: this.data.subdomain,
      name: this.data.name,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      ...(this.redirectUri === undefined ? {} : { redirectUri: this.redirectUri }),
      longLivedToken: this.tokens.longLivedToken ?? '',
      baseUrl: this.data.baseUrl,
    };
  }

  countTokenCall(grant: GrantKind, failed: boolean): void {
    this.counters[grant] += 1;
    if (failed) this.counters.failures[grant] += 1;
  }

  get tokenCalls(): TokenCallCounters {
    return { ...this.counters, failures: { ...this.counters.failures } };
  }

  resetTokenCalls(): void {
    this.counters = emptyTokenCounters();
  }

  /**
   * Turns an operation's changes into legacy webhook bodies (snapshotted now) and queues one POST
   * per subscribed destination and event group.
   */
  publish(changes: ChangeLog): void {
    if (changes.isEmpty) return;
    for (const group of buildEventGroups(this.data, changes.changes)) {
      const hooks = this.webhooks.subscribersOf(group.event);
      if (hooks.length === 0) continue;
      const body = encodeForm(legacyBody(this.data, group));
      for (const hook of hooks) this.dispatcher.enqueue(hook.destination, group.event, body, hook.id);
    }
  }

  close(): void {
    this.dispatcher.close();
  }

  get publicHost(): string {
    return this.runtime.publicHost;
  }
}
