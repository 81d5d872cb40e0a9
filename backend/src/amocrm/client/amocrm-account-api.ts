import { createHash } from 'node:crypto';
import { RedisLock } from '../../redis/redis-lock';
import { AmocrmApiError, AmocrmUnavailableError, AmocrmValidationError } from '../amocrm.problems';
import type {
  AmoAccount,
  AmoComplexLeadInput,
  AmoComplexResult,
  AmoContact,
  AmoContactInput,
  AmoContactListQuery,
  AmoContactUpdate,
  AmoCustomField,
  AmoCustomFieldEntity,
  AmoLead,
  AmoLeadInput,
  AmoLeadListQuery,
  AmoLeadUpdate,
  AmoListPage,
  AmoPipeline,
  AmoUpdateResult,
  AmoUser,
  AmoWebhook,
  AmoWebhookEvent,
  AmoWriteResult,
  SubscribeWebhookResult,
} from './amocrm-api.types';
import { chunk, matchByRequestId, withRequestIds } from './amocrm-batches';
import type { AmocrmQuery } from './amocrm-query';
import type { AmocrmLane } from './amocrm-rate-limiter';
import { readByIds } from './amocrm-reads-by-id';
import type { AmocrmGateway, AmocrmRequest, AmocrmResponse } from './amocrm-request';
import { AmocrmUnsortedApi } from './amocrm-unsorted';

const PAGE_LIMIT = 250;

/**
 * Typed calls to one workspace's amoCRM account in one limiter lane. Lists are async iterators over pages
 * (`limit=250`, following `_links.next`, 204 = no more); writes go in batches of 50 matched back by request_id.
 * Every method throws the typed AmocrmError subclasses (paused, needs re-authorisation, unavailable, validation…).
 */
export class AmocrmAccountApi {
  constructor(
    private readonly client: AmocrmGateway,
    readonly workspaceId: string,
    readonly lane: AmocrmLane,
  ) {}

  /** Any amoCRM API call, with the same limits, retries and error handling as the typed methods. */
  request<T>(request: AmocrmRequest): Promise<AmocrmResponse<T>> {
    return this.client.request<T>(this.workspaceId, this.lane, request);
  }

  // ---- account and metadata ----

  async getAccount(): Promise<AmoAccount> {
    return this.required(await this.get<AmoAccount>('/api/v4/account'), 'account');
  }

  async listUsers(): Promise<AmoUser[]> {
    return this.collect(this.pages<'users', AmoUser>('/api/v4/users', 'users', {}));
  }

  async listPipelines(): Promise<AmoPipeline[]> {
    const page = await this.get<AmoListPage<'pipelines', AmoPipeline>>('/api/v4/leads/pipelines');
    return page?._embedded?.pipelines ?? [];
  }

  async listCustomFields(entity: AmoCustomFieldEntity): Promise<AmoCustomField[]> {
    return this.collect(
      this.pages<'custom_fields', AmoCustomField>(`/api/v4/${entity}/custom_fields`, 'custom_fields', {}),
    );
  }

  // ---- contacts ----

  /** Pages of contacts (250 each): `for await (const page of api.listContacts({ query: '9161234567' }))`. */
  listContacts(query: AmoContactListQuery = {}): AsyncIterableIterator<AmoContact[]> {
    return this.pages<'contacts', AmoContact>('/api/v4/contacts', 'contacts', listQuery(query));
  }

  /**
   * Contacts matching amoCRM's broad `query` search (not an exact match: compare the fields yourself), up to
   * `maxResults` (default 500).
   */
  async findContactsByQuery(
    text: string,
    options: { with?: 'leads'[]; maxResults?: number } = {},
  ): Promise<AmoContact[]> {
    return this.collect(this.listContacts({ query: text, with: options.with }), options.maxResults ?? 500);
  }

  /** null when amoCRM has no such contact. */
  getContact(id: number, options: { with?: 'leads'[] } = {}): Promise<AmoContact | null> {
    return this.getOrNull<AmoContact>(`/api/v4/contacts/${id}`, options.with);
  }

  /** Contacts by id, 250 per request (`filter[id][]`); those amoCRM does not answer (deleted) are absent. */
  getContactsByIds(
    ids: readonly number[],
    options: { with?: 'leads'[] } = {},
  ): Promise<Map<number, AmoContact>> {
    return readByIds<'contacts', AmoContact>(this, '/api/v4/contacts', 'contacts', ids, options.with);
  }

  /** Creates contacts in batches of 50; results in input order, matched by request_id. */
  createContacts(contacts: readonly AmoContactInput[]): Promise<AmoWriteResult[]> {
    return this.write('POST', '/api/v4/contacts', 'contacts', contacts, (item, requestId) => ({
      requestId,
      id: item.id,
    }));
  }

  updateContacts(contacts: readonly AmoContactUpdate[]): Promise<AmoUpdateResult[]> {
    return this.write('PATCH', '/api/v4/contacts', 'contacts', contacts, (item, requestId) => ({
      requestId,
      id: item.id,
      updatedAt: typeof item.updated_at === 'number' ? item.updated_at : null,
    }));
  }

  // ---- leads ----

  listLeads(query: AmoLeadListQuery = {}): AsyncIterableIterator<AmoLead[]> {
    return this.pages<'leads', AmoLead>('/api/v4/leads', 'leads', listQuery(query));
  }

  getLead(id: number, options: { with?: ('contacts' | 'loss_reason')[] } = {}): Promise<AmoLead | null> {
    return this.getOrNull<AmoLead>(`/api/v4/leads/${id}`, options.with);
  }

  /** Leads by id, 250 per request (`filter[id][]`); those amoCRM does not answer (deleted) are absent. */
  getLeadsByIds(
    ids: readonly number[],
    options: { with?: ('contacts' | 'loss_reason')[] } = {},
  ): Promise<Map<number, AmoLead>> {
    return readByIds<'leads', AmoLead>(this, '/api/v4/leads', 'leads', ids, options.with);
  }

  createLeads(leads: readonly AmoLeadInput[]): Promise<AmoWriteResult[]> {
    return this.write('POST', '/api/v4/leads', 'leads', leads, (item, requestId) => ({
      requestId,
      id: item.id,
    }));
  }

  updateLeads(leads: readonly AmoLeadUpdate[]): Promise<AmoUpdateResult[]> {
    return this.write('PATCH', '/api/v4/leads', 'leads', leads, (item, requestId) => ({
      requestId,
      id: item.id,
      updatedAt: typeof item.updated_at === 'number' ? item.updated_at : null,
    }));
  }

  /** `leads/complex`: each lead with its contact (and company) in one call, 50 per request. */
  async createLeadsComplex(leads: readonly AmoComplexLeadInput[]): Promise<AmoComplexResult[]> {
    const items = withRequestIds(leads);
    const results: AmoComplexResult[] = [];
    for (const part of chunk(items)) {
      const answer = await this.writeChunk<
        {
          id: number;
          contact_id?: number | null;
          company_id?: number | null;
          request_id?: unknown;
          merged?: boolean;
        }[]
      >('POST', '/api/v4/leads/complex', part, results);
      const rows = Array.isArray(answer.data) ? answer.data : [];
      const ids = part.map((item) => item.request_id);
      const { matched, missing } = matchByRequestId(ids, rows);
      if (missing.length > 0) throw missingAnswer(missing, answer);
      for (const requestId of ids) {
        const row = matched.get(requestId)!;
        results.push({
          requestId,
          leadId: row.id,
          contactId: row.contact_id ?? null,
          companyId: row.company_id ?? null,
          merged: row.merged === true,
        });
      }
    }
    return results;
  }

  /** Links a contact to a lead (as its main contact unless `main: false`). */
  async linkLeadToContact(
    leadId: number,
    contactId: number,
    options: { main?: boolean } = {},
  ): Promise<void> {
    await this.request({
      method: 'POST',
      path: `/api/v4/leads/${leadId}/link`,
      body: [
        {
          to_entity_id: contactId,
          to_entity_type: 'contacts',
          metadata: { main_contact: options.main ?? true },
        },
      ],
    });
  }

  /** Incoming leads («Неразобранное»): `unsorted.createForms` (50 per request), `list`, `accept`. */
  get unsorted(): AmocrmUnsortedApi {
    return new AmocrmUnsortedApi(this);
  }

  // ---- webhooks ----

  /** The account's webhook subscriptions, optionally only those for `destination`. */
  async listWebhooks(destination?: string): Promise<AmoWebhook[]> {
    const page = await this.get<AmoListPage<'webhooks', AmoWebhook>>(
      '/api/v4/webhooks',
      destination ? { filter: { destination } } : {},
    );
    return (page?._embedded?.webhooks ?? []).filter(
      (hook) => destination === undefined || hook.destination === destination,
    );
  }

  /**
   * Makes `destination` receive exactly `settings`, never with two hooks: unchanged when it already does; when
   * the settings differ (or duplicates exist) the hooks of that destination are deleted and one is added.
   * Serialised per account and destination across processes.
   */
  async subscribeWebhook(
    destination: string,
    settings: readonly AmoWebhookEvent[],
    options: { sort?: number } = {},
  ): Promise<SubscribeWebhookResult> {
    const wanted = [...new Set(settings)].sort();
    if (wanted.length === 0) throw new Error('subscribeWebhook needs at least one event');
    const accountKey = await this.client.accountKey(this.workspaceId);
    const destinationKey = createHash('sha256').update(destination).digest('hex').slice(0, 32);
    const lock = await RedisLock.acquire(
      this.client.redis,
      `amocrm:webhook-subscribe:{${accountKey}}:${destinationKey}`,
      30_000,
      { deadline: Date.now() + 30_000 },
    );
    if (!lock) throw new AmocrmUnavailableError('Another process is changing this webhook subscription.', 5);
    try {
      const existing = await this.listWebhooks(destination);
      const same = existing.length === 1 && !existing[0].disabled && sameSet(existing[0].settings, wanted);
      if (same) return { webhook: existing[0], outcome: 'unchanged' };
      if (existing.length > 0) await this.unsubscribeWebhook(destination);
      const created = await this.request<AmoWebhook>({
        method: 'POST',
        path: '/api/v4/webhooks',
        body: {
          destination,
          settings: wanted,
          ...(options.sort === undefined ? {} : { sort: options.sort }),
        },
      });
      return {
        webhook: this.required(created.data, 'webhook'),
        outcome: existing.length > 0 ? 'replaced' : 'created',
      };
    } finally {
      await lock.release();
    }
  }

  /** Removes every hook of `destination`; amoCRM answers 204 or `{result: true}`, both accepted. */
  async unsubscribeWebhook(destination: string): Promise<void> {
    const answer = await this.request<{ result?: unknown }>({
      method: 'DELETE',
      path: '/api/v4/webhooks',
      body: { destination },
    });
    if (answer.data && answer.data.result === false) {
      throw new AmocrmApiError(answer.status, 'amoCRM did not remove the webhook', answer.amocrmRequestId);
    }
  }

  // ---- helpers ----

  private async get<T>(path: string, query: AmocrmQuery = {}): Promise<T | null> {
    return (await this.request<T>({ method: 'GET', path, query })).data;
  }

  private async getOrNull<T>(path: string, withRelations?: readonly string[]): Promise<T | null> {
    try {
      return await this.get<T>(
        path,
        withRelations && withRelations.length > 0 ? { with: withRelations.join(',') } : {},
      );
    } catch (error) {
      if (error instanceof AmocrmApiError && error.amocrmStatus === 404) return null;
      throw error;
    }
  }

  private async *pages<K extends string, T>(
    path: string,
    key: K,
    query: AmocrmQuery,
  ): AsyncIterableIterator<T[]> {
    const limit =
      typeof query.limit === 'number' ? Math.min(Math.max(1, query.limit), PAGE_LIMIT) : PAGE_LIMIT;
    let next: AmocrmRequest | null = { method: 'GET', path, query: { ...query, limit, page: 1 } };
    let page = 1;
    while (next) {
      const answer: AmocrmResponse<AmoListPage<K, T>> = await this.request<AmoListPage<K, T>>(next);
      const items = answer.data?._embedded?.[key] ?? [];
      if (items.length === 0) return;
      yield items;
      if (items.length < limit) return;
      page += 1;
      const href = answer.data?._links?.next?.href;
      next = href ? { method: 'GET', path: href } : { method: 'GET', path, query: { ...query, limit, page } };
    }
  }

  private async collect<T>(pages: AsyncIterableIterator<T[]>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const all: T[] = [];
    for await (const page of pages) {
      all.push(...page);
      if (all.length >= max) return all.slice(0, max);
    }
    return all;
  }

  private async write<
    I extends { request_id?: string },
    A extends { id: number; request_id?: unknown; updated_at?: unknown },
    R,
  >(
    method: 'POST' | 'PATCH',
    path: string,
    key: 'contacts' | 'leads',
    inputs: readonly I[],
    toResult: (item: A, requestId: string) => R,
  ): Promise<R[]> {
    const items = withRequestIds(inputs);
    const results: R[] = [];
    const completed: { requestId: string; id: number }[] = [];
    for (const part of chunk(items)) {
      const answer = await this.writeChunk<AmoListPage<typeof key, A>>(method, path, part, completed);
      const ids = part.map((item) => item.request_id);
      const { matched, missing } = matchByRequestId(ids, answer.data?._embedded?.[key] ?? []);
      if (missing.length > 0) throw missingAnswer(missing, answer);
      for (const requestId of ids) {
        const item = matched.get(requestId)!;
        results.push(toResult(item, requestId));
        completed.push({ requestId, id: item.id });
      }
    }
    return results;
  }

  /** One batch request; a validation error carries what earlier batches of the call already wrote. */
  private async writeChunk<T>(
    method: 'POST' | 'PATCH',
    path: string,
    part: unknown[],
    completedSoFar: readonly { requestId: string; id?: number; leadId?: number }[],
  ): Promise<AmocrmResponse<T>> {
    try {
      return await this.request<T>({ method, path, body: part });
    } catch (error) {
      if (error instanceof AmocrmValidationError && completedSoFar.length > 0) {
        throw new AmocrmValidationError(
          error.issues,
          completedSoFar.map((done) => ({ requestId: done.requestId, id: done.id ?? done.leadId ?? 0 })),
        );
      }
      throw error;
    }
  }

  private required<T>(value: T | null, what: string): T {
    if (value === null) throw new AmocrmApiError(204, `amoCRM answered no ${what}`);
    return value;
  }
}

function listQuery(query: AmoContactListQuery | AmoLeadListQuery): AmocrmQuery {
  const { with: relations, ...rest } = query;
  return {
    ...(rest as AmocrmQuery),
    ...(relations && relations.length > 0 ? { with: relations.join(',') } : {}),
  };
}

function sameSet(a: readonly string[], sortedB: readonly string[]): boolean {
  const sortedA = [...new Set(a)].sort();
  return sortedA.length === sortedB.length && sortedA.every((value, index) => value === sortedB[index]);
}

function missingAnswer(missing: string[], answer: AmocrmResponse<unknown>): AmocrmApiError {
  return new AmocrmApiError(
    answer.status,
    `the answer does not mention request_id ${missing.slice(0, 5).join(', ')}`,
    answer.amocrmRequestId,
  );
}
