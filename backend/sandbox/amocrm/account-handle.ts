import type { AccountSettings, AmoAccount, AmoAccountCredentials } from './account';
import type { FaultSpec } from './account-gate';
import { summarizeAccount, type AccountSummary } from './account-summary';
import type {
  AmoUser,
  ContactJson,
  CustomFieldDefinition,
  CustomFieldType,
  LeadJson,
  Pipeline,
} from './entity-records';
import { ManagerSimulator } from './manager-simulator';
import type { NoteRecord, TaskRecord } from './notes-tasks-service';
import type { TokenCallCounters } from './oauth-tokens';
import { httpProblem } from './problems';
import type { RequestLogEntry, RequestLogFilter } from './request-log';
import type { DeliveryFilter, WebhookDelivery } from './webhook-dispatcher';
import type { WebhookJson } from './webhook-subscriptions';

/** Typed access to one sandbox account for in-process tests. */
export class AmoAccountHandle {
  /** Changes as if a manager made them in amoCRM; they fire webhooks like API writes do. */
  readonly manager: ManagerSimulator;

  constructor(private readonly account: AmoAccount) {
    this.manager = new ManagerSimulator(account);
  }

  get credentials(): AmoAccountCredentials {
    return this.account.credentials;
  }

  get id(): number {
    return this.account.id;
  }

  get subdomain(): string {
    return this.account.subdomain;
  }

  get baseUrl(): string {
    return this.account.data.baseUrl;
  }

  summary(): AccountSummary {
    return summarizeAccount(this.account);
  }

  // ---- metadata ----

  users(): AmoUser[] {
    return this.account.data.users.map((user) => ({ ...user }));
  }

  get currentUserId(): number {
    return this.account.data.currentUserId;
  }

  get managerUserId(): number {
    return this.account.data.managerUserId;
  }

  pipelines(): Pipeline[] {
    return structuredClone([...this.account.data.pipelines]);
  }

  contactFields(): CustomFieldDefinition[] {
    return structuredClone([...this.account.data.contactFields.definitions]);
  }

  leadFields(): CustomFieldDefinition[] {
    return structuredClone([...this.account.data.leadFields.definitions]);
  }

  /** Adds a custom field as an admin would in amoCRM's settings (options make a select's enums). */
  addCustomField(
    entity: 'leads' | 'contacts',
    input: { name: string; type?: CustomFieldType; code?: string | null; options?: string[] },
  ): CustomFieldDefinition {
    const data = this.account.data;
    const catalog = entity === 'leads' ? data.leadFields : data.contactFields;
    const definition: CustomFieldDefinition = {
      id: data.nextId('field'),
      name: input.name,
      code: input.code ?? null,
      type: input.type ?? 'text',
      sort: 1000 + catalog.definitions.length,
      entityType: entity,
      isPredefined: false,
      enums: input.options
        ? input.options.map((value, index) => ({
            id: data.nextId('enum'),
            value,
            sort: (index + 1) * 10,
            code: null,
          }))
        : null,
    };
    catalog.add(definition);
    return structuredClone(definition);
  }

  /** Removes a user as if they left the account (their id is then refused as a responsible user). */
  removeUser(id: number): boolean {
    const data = this.account.data;
    const before = data.users.length;
    data.users = data.users.filter((user) => user.id !== id);
    return data.users.length < before;
  }

  /** Notes of an entity and tasks as the API would list them (ids, texts, owners). */
  notes(entity: 'leads' | 'contacts', entityId: number): NoteRecord[] {
    return this.account.notesTasks.notesOf(entity, entityId).map((note) => ({ ...note }));
  }

  tasks(): TaskRecord[] {
    return [...this.account.notesTasks.tasks.values()].map((task) => ({ ...task }));
  }

  /** Deletes a custom field as an admin would in amoCRM's settings; false when there is none. */
  removeCustomField(entity: 'leads' | 'contacts', id: number): boolean {
    const data = this.account.data;
    return (entity === 'leads' ? data.leadFields : data.contactFields).remove(id);
  }

  // ---- entities (v4 JSON, as the API would answer with `with=leads` / `with=contacts`) ----

  contacts(options: { includeDeleted?: boolean } = {}): ContactJson[] {
    return [...this.account.data.contacts.values()]
      .filter((record) => options.includeDeleted === true || !record.isDeleted)
      .map((record) => this.account.contacts.render(record, true));
  }

  contact(id: number): ContactJson | undefined {
    const record = this.account.data.contacts.get(id);
    return record && this.account.contacts.render(record, true);
  }

  leads(options: { includeDeleted?: boolean } = {}): LeadJson[] {
    return [...this.account.data.leads.values()]
      .filter((record) => options.includeDeleted === true || !record.isDeleted)
      .map((record) => this.account.leads.render(record, true));
  }

  lead(id: number): LeadJson | undefined {
    const record = this.account.data.leads.get(id);
    return record && this.account.leads.render(record, true);
  }

  // ---- webhooks ----

  webhooks(): WebhookJson[] {
    return this.account.webhooks.list().map((hook) => this.account.webhooks.render(hook, this.account.id));
  }

  deliveries(filter?: DeliveryFilter): WebhookDelivery[] {
    return this.account.dispatcher.list(filter);
  }

  resendDelivery(id: number): WebhookDelivery {
    const delivery = this.account.dispatcher.resend(id);
    if (!delivery) throw httpProblem(404, `Delivery ${id} not found`);
    return delivery;
  }

  /** Resolves when every webhook queued so far has been attempted. */
  whenDeliveriesIdle(): Promise<void> {
    return this.account.dispatcher.idle();
  }

  // ---- logs and counters ----

  requests(filter?: RequestLogFilter): RequestLogEntry[] {
    return this.account.requestLog.list(filter);
  }

  clearRequests(): void {
    this.account.requestLog.clear();
  }

  tokenCalls(): TokenCallCounters {
    return this.account.tokenCalls;
  }

  resetTokenCalls(): void {
    this.account.resetTokenCalls();
  }

  // ---- OAuth ----

  issueAuthorizationCode(redirectUri?: string): { code: string; expiresAt: number } {
    return this.account.tokens.issueCode(redirectUri);
  }

  /** A fresh access/refresh pair without going through the token endpoint. */
  issueTokens(): { accessToken: string; refreshToken: string; expiresIn: number } {
    return this.account.tokens.issuePair();
  }

  /** Every OAuth access token (and the long-lived one when asked) expires now. */
  expireAccessTokens(options: { includeLongLived?: boolean } = {}): number {
    return this.account.tokens.expireAccessTokens(options.includeLongLived === true);
  }

  revokeLongLivedToken(): void {
    this.account.tokens.revokeLongLived();
  }

  /** The integration was disconnected: all access and refresh tokens die. */
  revokeOAuthTokens(): void {
    this.account.tokens.revokeOAuthTokens();
  }

  newLongLivedToken(): string {
    return this.account.tokens.issueLongLived();
  }

  // ---- limits and failures ----

  get blocked(): boolean {
    return this.account.gate.blocked;
  }

  block(): void {
    this.account.gate.block();
  }

  unblock(): void {
    this.account.gate.unblock();
  }

  setPaymentRequired(enabled: boolean): void {
    this.account.gate.paymentRequired = enabled;
  }

  /** The next `count` matching calls answer `kind` (500/502/503/504) or lose their connection (`drop`). */
  injectFault(spec: FaultSpec): void {
    this.account.gate.injectFault(spec);
  }

  clearFaults(): void {
    this.account.gate.clearFaults();
  }

  updateSettings(patch: Partial<AccountSettings>): void {
    Object.assign(this.account.settings, patch);
  }
}
