import type { AccountData } from './account-data';
import type { CompaniesService } from './companies-service';
import type { ContactsService, PreparedContact } from './contacts-service';
import type { LeadContactLink, LeadRecord } from './entity-records';
import { embeddedOf, readCommonWrite, type CommonWrite } from './entity-writes';
import { asBoolean, asInteger, describeValue, isRecord, type JsonRecord } from './json-input';
import type { EntityIssues } from './problems';

export interface Placement {
  pipelineId: number;
  statusId: number;
}

/** One lead of a write batch, validated: what to store, or the issues recorded against its request id. */
export interface PreparedLead {
  requestId: string;
  common: CommonWrite;
  price?: number;
  placement?: Placement;
  closedAt?: number;
  contactLinks?: LeadContactLink[];
  companyIds?: number[];
  /** leads/complex only: a contact and a company to create with the lead. */
  newContact?: PreparedContact;
  newCompany?: CommonWrite;
}

/** Validates one lead of POST/PATCH /leads or leads/complex: fields, pipeline and status, embedded links. */
export class LeadPreparer {
  constructor(
    private readonly data: AccountData,
    private readonly contacts: ContactsService,
    private readonly companies: CompaniesService,
  ) {}

  prepare(
    raw: unknown,
    requestId: string,
    issues: EntityIssues,
    current: LeadRecord | undefined,
    complex: boolean,
  ): PreparedLead | undefined {
    if (!isRecord(raw)) {
      issues.add('InvalidType', '', 'Each lead must be an object');
      return undefined;
    }
    const prepared: PreparedLead = {
      requestId,
      common: readCommonWrite(raw, this.data, this.data.leadFields, this.data.leadTags, issues),
      price: readPrice(raw, issues),
      placement: this.resolvePlacement(raw, issues, current),
      closedAt: raw.closed_at === undefined ? undefined : asInteger(raw.closed_at),
    };
    if (raw.closed_at !== undefined && prepared.closedAt === undefined) {
      issues.add('InvalidType', 'closed_at', 'closed_at must be a unix timestamp');
    }
    if (!current) this.readEmbeddedLinks(raw, issues, complex, prepared);
    return prepared;
  }

  private readEmbeddedLinks(
    raw: JsonRecord,
    issues: EntityIssues,
    complex: boolean,
    prepared: PreparedLead,
  ): void {
    const embedded = embeddedOf(raw);
    const contacts = Array.isArray(embedded.contacts) ? (embedded.contacts as unknown[]) : [];
    const companies = Array.isArray(embedded.companies) ? (embedded.companies as unknown[]) : [];
    if (complex && contacts.length > 1)
      issues.add('InvalidType', '_embedded.contacts', 'At most one contact');
    if (complex && companies.length > 1)
      issues.add('InvalidType', '_embedded.companies', 'At most one company');
    prepared.contactLinks = [];
    prepared.companyIds = [];
    contacts.forEach((item, index) => {
      const at = issues.at(`_embedded.contacts.${index}`);
      const id = isRecord(item) ? asInteger(item.id) : undefined;
      if (id !== undefined) {
        if (this.data.liveContact(id)) {
          prepared.contactLinks?.push({
            contactId: id,
            isMain: isRecord(item) && asBoolean(item.is_main) === true,
          });
        } else at.add('NotSupportedChoice', 'id', `Contact ${id} not found`);
      } else if (complex) {
        prepared.newContact = this.contacts.prepareCreate(item, prepared.requestId, at);
      } else {
        at.add('FieldMissing', 'id', 'Linked contacts need an id');
      }
    });
    companies.forEach((item, index) => {
      const at = issues.at(`_embedded.companies.${index}`);
      const id = isRecord(item) ? asInteger(item.id) : undefined;
      if (id !== undefined) {
        if (this.data.liveCompany(id)) prepared.companyIds?.push(id);
        else at.add('NotSupportedChoice', 'id', `Company ${id} not found`);
      } else if (complex) {
        prepared.newCompany = this.companies.prepareCreate(item, at);
      } else {
        at.add('FieldMissing', 'id', 'Linked companies need an id');
      }
    });
  }

  private resolvePlacement(
    raw: JsonRecord,
    issues: EntityIssues,
    current?: Placement,
  ): Placement | undefined {
    let pipeline = undefined;
    if (raw.pipeline_id !== undefined) {
      const pipelineId = asInteger(raw.pipeline_id);
      pipeline = pipelineId === undefined ? undefined : this.data.pipeline(pipelineId);
      if (!pipeline) {
        issues.add(
          'NotSupportedChoice',
          'pipeline_id',
          `Pipeline ${describeValue(raw.pipeline_id)} not found`,
        );
        return undefined;
      }
    }
    if (raw.status_id !== undefined) {
      const statusId = asInteger(raw.status_id);
      const candidates = statusId === undefined ? [] : this.data.pipelinesWithStatus(statusId);
      const chosen = pipeline
        ? candidates.find((candidate) => candidate.id === pipeline?.id)
        : (candidates.find((candidate) => candidate.id === current?.pipelineId) ??
          candidates.find((candidate) => candidate.isMain) ??
          candidates[0]);
      if (statusId === undefined || !chosen) {
        issues.add(
          'NotSupportedChoice',
          'status_id',
          `Status ${describeValue(raw.status_id)} not found in the pipeline`,
        );
        return undefined;
      }
      return { pipelineId: chosen.id, statusId };
    }
    if (pipeline) {
      if (current?.pipelineId === pipeline.id) return current;
      return { pipelineId: pipeline.id, statusId: this.data.firstStage(pipeline).id };
    }
    if (current) return current;
    const main = this.data.mainPipeline;
    return { pipelineId: main.id, statusId: this.data.firstStage(main).id };
  }
}

function readPrice(raw: JsonRecord, issues: EntityIssues): number | undefined {
  if (raw.price === undefined) return undefined;
  if (raw.price === null) return 0;
  if (typeof raw.price === 'number' && Number.isSafeInteger(raw.price) && raw.price >= 0) return raw.price;
  issues.add('InvalidType', 'price', 'price must be a non-negative integer');
  return undefined;
}
