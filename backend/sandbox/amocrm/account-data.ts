import type { AccountFixtures } from './account-fixtures';
import { FieldCatalog } from './custom-field-values';
import {
  LOST_STATUS_ID,
  WON_STATUS_ID,
  type AmoUser,
  type CompanyRecord,
  type ContactRecord,
  type LeadRecord,
  type Pipeline,
  type PipelineStatus,
} from './entity-records';
import { nowSeconds, type IdKind, type SandboxRuntime } from './sandbox-runtime';
import { TagRegistry } from './tag-registry';

/** The entities and metadata of one account: what the entity services read and write. */
export class AccountData {
  readonly contacts = new Map<number, ContactRecord>();
  readonly leads = new Map<number, LeadRecord>();
  readonly companies = new Map<number, CompanyRecord>();
  readonly contactTags: TagRegistry;
  readonly leadTags: TagRegistry;
  readonly companyTags: TagRegistry;
  readonly contactFields: FieldCatalog;
  readonly leadFields: FieldCatalog;
  readonly companyFields: FieldCatalog;
  /** Replaced (never mutated) when a test removes a user, as if they left the account. */
  users: readonly AmoUser[];
  readonly pipelines: readonly Pipeline[];
  readonly currentUserId: number;
  readonly managerUserId: number;
  readonly createdAt = nowSeconds();

  constructor(
    readonly id: number,
    readonly subdomain: string,
    readonly name: string,
    fixtures: AccountFixtures,
    private readonly runtime: SandboxRuntime,
  ) {
    const nextTag = (): number => runtime.ids.next('tag');
    this.contactTags = new TagRegistry(nextTag);
    this.leadTags = new TagRegistry(nextTag);
    this.companyTags = new TagRegistry(nextTag);
    this.contactFields = new FieldCatalog(fixtures.contactFields);
    this.leadFields = new FieldCatalog(fixtures.leadFields);
    this.companyFields = new FieldCatalog(fixtures.companyFields);
    this.users = fixtures.users;
    this.pipelines = fixtures.pipelines;
    this.currentUserId = fixtures.currentUserId;
    this.managerUserId = fixtures.managerUserId;
  }

  /** `http://127.0.0.1:4010/<subdomain>`: what `_links` hrefs start with. */
  get baseUrl(): string {
    return `${this.runtime.publicUrl}/${this.subdomain}`;
  }

  nextId(kind: IdKind): number {
    return this.runtime.ids.next(kind);
  }

  user(id: number): AmoUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  get mainPipeline(): Pipeline {
    return this.pipelines.find((pipeline) => pipeline.isMain) ?? this.pipelines[0];
  }

  pipeline(id: number): Pipeline | undefined {
    return this.pipelines.find((pipeline) => pipeline.id === id);
  }

  /** The first working stage after "incoming": where a lead lands without `status_id`. */
  firstStage(pipeline: Pipeline): PipelineStatus {
    const ordered = [...pipeline.statuses].sort((a, b) => a.sort - b.sort);
    return (
      ordered.find(
        (status) => status.type === 0 && status.id !== WON_STATUS_ID && status.id !== LOST_STATUS_ID,
      ) ?? ordered[0]
    );
  }

  /** Pipelines containing a status (142 and 143 belong to every pipeline). */
  pipelinesWithStatus(statusId: number): Pipeline[] {
    return this.pipelines.filter((pipeline) => pipeline.statuses.some((status) => status.id === statusId));
  }

  liveContact(id: number): ContactRecord | undefined {
    const contact = this.contacts.get(id);
    return contact && !contact.isDeleted ? contact : undefined;
  }

  liveLead(id: number): LeadRecord | undefined {
    const lead = this.leads.get(id);
    return lead && !lead.isDeleted ? lead : undefined;
  }

  liveCompany(id: number): CompanyRecord | undefined {
    const company = this.companies.get(id);
    return company && !company.isDeleted ? company : undefined;
  }

  /** Leads (not deleted) a contact is linked to. */
  leadsOfContact(contactId: number): LeadRecord[] {
    return [...this.leads.values()].filter(
      (lead) => !lead.isDeleted && lead.contacts.some((link) => link.contactId === contactId),
    );
  }
}
