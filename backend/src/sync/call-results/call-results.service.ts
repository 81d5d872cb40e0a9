import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ContactsService } from '../../contacts/contacts.service';
import { NotFoundProblem } from '../../http/problem';
import { LeadsService } from '../../leads/leads.service';
import { EngineWritesService } from '../engine-writes';
import { LptrackerLinksService } from '../lptracker/lptracker-links.service';
import type { RuleEventContext } from '../rules/rule-evaluate';
import { CallResultEntity } from './call-result.entity';
import { prepareCallRow, type PreparedCall, type PreparedRow } from './call-result-input';
import type { CallRecordSummary, CallResultInput, CallRowOutcome, CallSource } from './call-result.types';
import {
  CallResultsRepository,
  type CallGroup,
  type CallSearch,
  type CallTotals,
} from './call-results.repository';
import { callRuleContext } from './call-rule-context';

/** Links of a call to the mirror and the CRMs. */
type CallLinks = Pick<
  CallResultEntity,
  'contactId' | 'amocrmContactId' | 'leadId' | 'amocrmLeadId' | 'lptrackerLeadId'
>;

export interface RecordOptions {
  /**
   * What records the rows (an inbox event id): a row already stored with the same value counts as `created` again,
   * so a retried event handles its own rows as new (the rules' done-markers keep actions from repeating).
   */
  originRef?: string;
}

/** Groups a summary answers at most (days of a year and a bit; operators). */
export const MAX_SUMMARY_GROUPS = 400;

/**
 * Call results: records batches of calls (from the REST API, imports and LPTracker's call records), deduplicated by
 * the table's unique keys, linked to the mirror contact by phone and to the lead by the LPTracker link or the
 * contact's newest open lead; each new call of the API or an import is told to EngineWritesService
 * (`call.finished`, entity `call`) so the rules run on it. Lists with totals, summaries per day or operator, and the
 * rules' view of a call.
 */
@Injectable()
export class CallResultsService {
  constructor(
    private readonly calls: CallResultsRepository,
    private readonly contacts: ContactsService,
    private readonly leads: LeadsService,
    private readonly links: LptrackerLinksService,
    private readonly writes: EngineWritesService,
    private readonly config: AppConfig,
  ) {}

  /** Checks and normalises rows without storing anything (the API refuses a batch with any bad row). */
  prepare(rows: readonly CallResultInput[]): PreparedRow[] {
    return rows.map((row) => prepareCallRow(row, this.config.defaultPhoneRegion));
  }

  /**
   * What `record` would answer for each row, storing nothing (an import's dry run): `invalid` with the field, `duplicate`
   * with the stored call's id (same source id of this source, else same phone, start and operator), else `created`
   * (its id and links are not known yet: empty). Repeats inside `rows` are the caller's to mark.
   */
  async check(
    workspaceId: string,
    rows: readonly CallResultInput[],
    source: CallSource,
  ): Promise<CallRowOutcome[]> {
    const prepared = this.prepare(rows);
    const valid = prepared.flatMap((item) => (item.ok ? [item.row] : []));
    const [bySource, byKey] = await Promise.all([
      this.calls.bySourceIds(
        workspaceId,
        source,
        valid.flatMap((row) => row.sourceId ?? []),
      ),
      this.calls.byNaturalKeys(
        workspaceId,
        valid.flatMap((row) => row.naturalKey ?? []),
      ),
    ]);
    const sourceIds = new Map(bySource.map((row) => [row.sourceId, row.id]));
    const keys = new Map(byKey.map((row) => [row.naturalKey, row.id]));
    return prepared.map((item, index): CallRowOutcome => {
      if (!item.ok) return { index, outcome: 'invalid', field: item.field, message: item.message };
      const stored =
        item.row.sourceId !== null ? sourceIds.get(item.row.sourceId) : keys.get(item.row.naturalKey);
      return stored !== undefined
        ? { index, outcome: 'duplicate', id: stored }
        : { index, outcome: 'created', id: '', amocrmContactId: null, amocrmLeadId: null };
    });
  }

  /**
   * Stores the valid rows (duplicates of stored rows, or of earlier rows of the batch, are skipped) and answers each
   * row's outcome in the order given: `created` with its id, `duplicate` with the stored row's id, or `invalid` with
   * the field and why.
   */
  async record(
    workspaceId: string,
    rows: readonly CallResultInput[],
    source: CallSource,
    options: RecordOptions = {},
  ): Promise<CallRecordSummary> {
    const prepared = this.prepare(rows);
    const outcomes: CallRowOutcome[] = [];
    const entities: { index: number; entity: CallResultEntity }[] = [];
    const valid = prepared.flatMap((item, index) => (item.ok ? [{ index, row: item.row }] : []));
    const linksOf = await this.linker(
      workspaceId,
      valid.map(({ row }) => row),
    );
    for (const [index, item] of prepared.entries()) {
      if (!item.ok) {
        outcomes[index] = { index, outcome: 'invalid', field: item.field, message: item.message };
        continue;
      }
      const entity = Object.assign(new CallResultEntity(), {
        workspaceId,
        ...item.row,
        ...linksOf(item.row),
        source,
        originRef: options.originRef ?? null,
      });
      entities.push({ index, entity });
    }
    await this.calls.insertIgnoring(entities.map(({ entity }) => entity));
    const stored = await this.calls.existingIds(
      workspaceId,
      entities.map(({ entity }) => entity.id),
    );
    const fresh = entities.filter(({ entity }) => stored.has(entity.id));
    const repeated = entities.filter(({ entity }) => !stored.has(entity.id));
    const earlier = await this.earlierRows(
      workspaceId,
      source,
      repeated.map(({ entity }) => entity),
    );
    const linked = (entity: CallResultEntity) => ({
      amocrmContactId: entity.amocrmContactId,
      amocrmLeadId: entity.amocrmLeadId,
    });
    for (const { index, entity } of fresh)
      outcomes[index] = { index, outcome: 'created', id: entity.id, ...linked(entity) };
    for (const { index, entity } of repeated) {
      const found = earlier(entity);
      const own = found !== null && options.originRef !== undefined && found.originRef === options.originRef;
      outcomes[index] = own
        ? { index, outcome: 'created', id: found.id, ...linked(entity) }
        : { index, outcome: 'duplicate', id: found?.id ?? null };
    }
    if (source !== 'lptracker')
      for (const { entity } of fresh)
        await this.writes.notify({
          workspaceId,
          origin: source,
          events: ['call.finished'],
          entity: 'call',
          id: entity.id,
          amocrmId: null,
          changedFields: [],
          occurredAt: new Date(),
        });
    return {
      created: outcomes.filter((row) => row.outcome === 'created').length,
      duplicates: outcomes.filter((row) => row.outcome === 'duplicate').length,
      invalid: outcomes.filter((row) => row.outcome === 'invalid').length,
      rows: outcomes,
    };
  }

  async get(workspaceId: string, id: string): Promise<CallResultEntity> {
    const call = await this.calls.findById(workspaceId, id);
    if (!call) throw new NotFoundProblem('The call result');
    return call;
  }

  list(
    workspaceId: string,
    search: CallSearch,
    page: { offset: number; limit: number },
  ): Promise<{ items: CallResultEntity[]; totals: CallTotals }> {
    return this.calls.search(workspaceId, search, page.offset, page.limit);
  }

  summary(workspaceId: string, search: CallSearch, groupBy: 'day' | 'operator'): Promise<CallGroup[]> {
    return this.calls.summary(workspaceId, search, groupBy, MAX_SUMMARY_GROUPS);
  }

  /** The rules' view of a stored call (`call.finished`), with the contact's unanswered calls in a row. */
  async ruleContext(workspaceId: string, id: string): Promise<RuleEventContext> {
    const call = await this.get(workspaceId, id);
    const missed = await this.calls.unansweredInRow(workspaceId, call, call.startedAt);
    return callRuleContext(call, missed);
  }

  /** The links of each row: looked up once per phone, LPTracker lead and contact. */
  private async linker(
    workspaceId: string,
    rows: readonly PreparedCall[],
  ): Promise<(row: PreparedCall) => CallLinks> {
    const byLead = new Map<number, CallLinks>();
    for (const leadId of new Set(rows.flatMap((row) => row.lptrackerLeadId ?? []))) {
      const link = await this.links.findByLptrackerLead(workspaceId, leadId);
      if (link)
        byLead.set(leadId, {
          contactId: link.contactId,
          amocrmContactId: link.amocrmContactId,
          leadId: link.leadId,
          amocrmLeadId: link.amocrmLeadId,
          lptrackerLeadId: leadId,
        });
    }
    const byPhone = new Map<string, CallLinks>();
    for (const phone of new Set(rows.flatMap((row) => row.phone ?? []))) {
      const contact = await this.contacts.findByPhone(workspaceId, phone);
      if (!contact) continue;
      const lead = await this.leads.findNewestOpenByContact(workspaceId, contact.id);
      byPhone.set(phone, {
        contactId: contact.id,
        amocrmContactId: contact.amocrmId,
        leadId: lead?.id ?? null,
        amocrmLeadId: lead?.amocrmId ?? null,
        lptrackerLeadId: null,
      });
    }
    const none: CallLinks = {
      contactId: null,
      amocrmContactId: null,
      leadId: null,
      amocrmLeadId: null,
      lptrackerLeadId: null,
    };
    return (row) => {
      const lead = row.lptrackerLeadId === null ? undefined : byLead.get(row.lptrackerLeadId);
      const contact = row.phone === null ? undefined : byPhone.get(row.phone);
      if (lead)
        return {
          ...lead,
          contactId: lead.contactId ?? contact?.contactId ?? null,
          amocrmContactId: lead.amocrmContactId ?? contact?.amocrmContactId ?? null,
        };
      return { ...(contact ?? none), lptrackerLeadId: row.lptrackerLeadId };
    };
  }

  /** Finds the stored row each repeated row duplicates (by source id, else natural key). */
  private async earlierRows(
    workspaceId: string,
    source: CallSource,
    repeated: readonly CallResultEntity[],
  ): Promise<(row: CallResultEntity) => CallResultEntity | null> {
    const sourceIds = repeated.flatMap((row) => row.sourceId ?? []);
    const keys = repeated.flatMap((row) => row.naturalKey ?? []);
    const bySource = new Map(
      (await this.calls.bySourceIds(workspaceId, source, sourceIds)).map((row) => [row.sourceId, row]),
    );
    const byKey = new Map(
      (await this.calls.byNaturalKeys(workspaceId, keys)).map((row) => [row.naturalKey, row]),
    );
    return (row) => (row.sourceId !== null ? bySource.get(row.sourceId) : byKey.get(row.naturalKey)) ?? null;
  }
}
