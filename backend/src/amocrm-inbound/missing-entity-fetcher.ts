import type { AmocrmAccountApi } from '../amocrm/client/amocrm-account-api';
import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import type { JsonObject, JsonValue } from '../database/columns';
import { MicroBatcher } from '../batching/micro-batcher';
import type { ProcessingContext } from '../inbox/source-adapter';

/** The entities planning may have to read from amoCRM. */
export type FetchedEntity = 'lead' | 'contact';
export type FetchedOf<E extends FetchedEntity> = E extends 'lead' ? AmoLead : AmoContact;

/** What the fetcher needs of a workspace's account API (a fake in unit tests). */
export type EntityReader = Pick<AmocrmAccountApi, 'getLeadsByIds' | 'getContactsByIds'>;

/** An entity a run needs from amoCRM, and why (told in the event's trace). */
export interface WantedEntity {
  id: number;
  reason: string;
}

export interface FetcherOptions {
  /** Ids read in one flush at most (requests of 250); a single run asking for more still goes alone. */
  maxIdsPerFlush: number;
  /** Flushes in flight per workspace and entity; runs asking meanwhile wait and are read together. */
  maxConcurrent: number;
}

const DEFAULT_OPTIONS: FetcherOptions = { maxIdsPerFlush: 1_000, maxConcurrent: 2 };
/** Ids named in a trace step at most. */
const TRACED_IDS = 20;

/**
 * Reads the contacts and leads that planning needs and a payload lacks, in batches instead of one GET per entity:
 * what one run asks for together, and what other runs of the worker ask for while a read of the same workspace
 * and entity is in flight, goes out as one `filter[id][]` request per 250 ids (`AmocrmAccountApi.getLeadsByIds`:
 * the same limiter, lanes, retries and token handling as every call). Leads are read with their contacts (the
 * mirror keeps the main contact link). Each run gets only what it asked for; an entity missing from the answer
 * was deleted in amoCRM (or never existed), as a 404 of a single read. Each workspace and entity has its own
 * batcher, so a slow or failing account only holds up (or fails) the runs that read from it.
 */
export class MissingEntityFetcher {
  private readonly batchers = new Map<string, MicroBatcher<number[], Map<number, AmoLead | AmoContact>>>();
  private readonly options: FetcherOptions;

  constructor(
    private readonly readerOf: (workspaceId: string) => EntityReader,
    options: Partial<FetcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** Reads `wanted` as one step of the run's trace (named after the entity, or the count, and the reasons). */
  async fetch<E extends FetchedEntity>(
    context: ProcessingContext,
    workspaceId: string,
    entity: E,
    wanted: readonly WantedEntity[],
  ): Promise<Map<number, FetchedOf<E>>> {
    if (wanted.length === 0) return new Map();
    const step = fetchStep(entity, wanted);
    return context.step(
      step.name,
      () =>
        this.read(
          workspaceId,
          entity,
          wanted.map((item) => item.id),
        ),
      step.detail,
    );
  }

  /** The entities of `ids` amoCRM has (deleted ones and unknown ids are absent). */
  async read<E extends FetchedEntity>(
    workspaceId: string,
    entity: E,
    ids: readonly number[],
  ): Promise<Map<number, FetchedOf<E>>> {
    if (ids.length === 0) return new Map();
    const found = await this.batcherOf(workspaceId, entity).submit([...ids]);
    return found as Map<number, FetchedOf<E>>;
  }

  private batcherOf(
    workspaceId: string,
    entity: FetchedEntity,
  ): MicroBatcher<number[], Map<number, AmoLead | AmoContact>> {
    const key = `${entity}:${workspaceId}`;
    let batcher = this.batchers.get(key);
    if (!batcher) {
      batcher = new MicroBatcher<number[], Map<number, AmoLead | AmoContact>>(
        (reads) => this.readTogether(workspaceId, entity, reads),
        {
          maxItems: this.options.maxIdsPerFlush,
          maxBytes: this.options.maxIdsPerFlush,
          maxConcurrent: this.options.maxConcurrent,
        },
        (ids) => Math.max(1, ids.length),
      );
      this.batchers.set(key, batcher);
    }
    return batcher;
  }

  /** One read for the runs of one flush: the union of their ids, each run answered with its own. */
  private async readTogether(
    workspaceId: string,
    entity: FetchedEntity,
    reads: number[][],
  ): Promise<Map<number, AmoLead | AmoContact>[]> {
    const reader = this.readerOf(workspaceId);
    const ids = [...new Set(reads.flat())];
    const found: Map<number, AmoLead | AmoContact> =
      entity === 'lead'
        ? await reader.getLeadsByIds(ids, { with: ['contacts'] })
        : await reader.getContactsByIds(ids);
    return reads.map((read) => {
      const mine = new Map<number, AmoLead | AmoContact>();
      for (const id of read) {
        const item = found.get(id);
        if (item) mine.set(id, item);
      }
      return mine;
    });
  }
}

/**
 * The trace step of a read: `fetch lead 12` with its reason for one entity (as a single read was told), else
 * `fetch 500 leads` with the reasons and the first ids.
 */
export function fetchStep(
  entity: FetchedEntity,
  wanted: readonly WantedEntity[],
): { name: string; detail: JsonValue } {
  const ids = [...new Set(wanted.map((item) => item.id))];
  const reasons = [...new Set(wanted.map((item) => item.reason))];
  const why: JsonObject = reasons.length === 1 ? { reason: reasons[0] } : { reasons };
  if (ids.length === 1) return { name: `fetch ${entity} ${ids[0]}`, detail: why };
  return {
    name: `fetch ${ids.length} ${entity}s`,
    detail: {
      ...why,
      ids: ids.slice(0, TRACED_IDS),
      ...(ids.length > TRACED_IDS ? { more: ids.length - TRACED_IDS } : {}),
    },
  };
}
