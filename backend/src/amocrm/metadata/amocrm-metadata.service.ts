import { Injectable, Logger } from '@nestjs/common';
import type { AmoAccount, AmoCustomField, AmoPipeline, AmoUser } from '../client/amocrm-api.types';
import { AmocrmClient } from '../client/amocrm-client';
import type { AmocrmLane } from '../client/amocrm-rate-limiter';
import { AmocrmConnectionsRepository } from '../connection/amocrm-connections.repository';
import { AmocrmMetadataRepository } from './amocrm-metadata.repository';
import type {
  AmocrmCustomFieldMeta,
  AmocrmFieldEntity,
  AmocrmMetadata,
  AmocrmMetadataSnapshot,
  AmocrmPipelineMeta,
  AmocrmStatusMeta,
} from './amocrm-metadata.types';

/** How long this process reuses a snapshot read from the database before reading it again. */
const MEMORY_TTL_MS = 30_000;

/**
 * The account metadata cache: account, users, pipelines with statuses, contact and lead custom fields, stored per
 * workspace with the fetch time. Refreshed on connect, hourly and on demand; read by mappings and rules.
 */
@Injectable()
export class AmocrmMetadataService {
  private readonly logger = new Logger('Amocrm');
  private readonly memory = new Map<string, { metadata: AmocrmMetadata | null; readAt: number }>();
  private readonly reading = new Map<string, Promise<AmocrmMetadata | null>>();

  constructor(
    private readonly client: AmocrmClient,
    private readonly snapshots: AmocrmMetadataRepository,
    private readonly connections: AmocrmConnectionsRepository,
  ) {}

  /** Fetches everything from amoCRM (5+ calls through the limiter) and stores it. */
  async refresh(workspaceId: string, lane: AmocrmLane = 'sync'): Promise<AmocrmMetadata> {
    const api = this.client.forWorkspace(workspaceId, lane);
    const [account, users, pipelines, contactFields, leadFields] = await Promise.all([
      api.getAccount(),
      api.listUsers(),
      api.listPipelines(),
      api.listCustomFields('contacts'),
      api.listCustomFields('leads'),
    ]);
    const snapshot = buildSnapshot(account, users, pipelines, contactFields, leadFields);
    const fetchedAt = new Date();
    await this.snapshots.upsert(workspaceId, snapshot, fetchedAt);
    const metadata = { ...snapshot, fetchedAt };
    this.memory.set(workspaceId, { metadata, readAt: Date.now() });
    return metadata;
  }

  /** Refreshes every connected workspace (the hourly job); one failure does not stop the others. */
  async refreshAllConnected(): Promise<{ refreshed: number; failed: number }> {
    let refreshed = 0;
    let failed = 0;
    for (const connection of await this.connections.listConnected()) {
      try {
        await this.refresh(connection.workspaceId, 'sync');
        refreshed += 1;
      } catch (error) {
        failed += 1;
        this.logger.warn(
          { workspaceId: connection.workspaceId, error: describe(error) },
          'amoCRM metadata refresh failed',
        );
      }
    }
    return { refreshed, failed };
  }

  /** The cached metadata, or null when none was fetched yet. */
  async getMetadata(workspaceId: string): Promise<AmocrmMetadata | null> {
    const remembered = this.memory.get(workspaceId);
    if (remembered && Date.now() - remembered.readAt < MEMORY_TTL_MS) return remembered.metadata;
    // one read for the callers that find the memory stale at the same time (a busy worker has hundreds)
    const inFlight = this.reading.get(workspaceId);
    if (inFlight) return inFlight;
    const read = this.readSnapshot(workspaceId).finally(() => this.reading.delete(workspaceId));
    this.reading.set(workspaceId, read);
    return read;
  }

  private async readSnapshot(workspaceId: string): Promise<AmocrmMetadata | null> {
    const row = await this.snapshots.findByWorkspace(workspaceId);
    const metadata = row ? { ...row.snapshot, fetchedAt: row.fetchedAt } : null;
    this.memory.set(workspaceId, { metadata, readAt: Date.now() });
    return metadata;
  }

  /** A pipeline by id, or by name (case-insensitive). */
  async findPipeline(workspaceId: string, ref: number | string): Promise<AmocrmPipelineMeta | undefined> {
    const metadata = await this.getMetadata(workspaceId);
    return metadata ? pickPipeline(metadata.pipelines, ref) : undefined;
  }

  /**
   * A status by id, or by name within a pipeline (`pipelineRef`, else the main pipeline). Ids 142/143 (won/lost)
   * exist in every pipeline, so pass the pipeline when it matters.
   */
  async findStatus(
    workspaceId: string,
    statusRef: number | string,
    pipelineRef?: number | string,
  ): Promise<{ pipeline: AmocrmPipelineMeta; status: AmocrmStatusMeta } | undefined> {
    const metadata = await this.getMetadata(workspaceId);
    if (!metadata) return undefined;
    const pipelines =
      pipelineRef !== undefined
        ? [pickPipeline(metadata.pipelines, pipelineRef)].filter(
            (p): p is AmocrmPipelineMeta => p !== undefined,
          )
        : typeof statusRef === 'number'
          ? [...metadata.pipelines].sort((a, b) => Number(b.isMain) - Number(a.isMain))
          : metadata.pipelines.filter((pipeline) => pipeline.isMain);
    for (const pipeline of pipelines) {
      const status = pipeline.statuses.find((candidate) =>
        typeof statusRef === 'number' ? candidate.id === statusRef : sameText(candidate.name, statusRef),
      );
      if (status) return { pipeline, status };
    }
    return undefined;
  }

  /** A custom field of contacts or leads by id, or by code (`PHONE`, `EMAIL`…). */
  async customField(
    workspaceId: string,
    entity: AmocrmFieldEntity,
    ref: number | string,
  ): Promise<AmocrmCustomFieldMeta | undefined> {
    const metadata = await this.getMetadata(workspaceId);
    if (!metadata) return undefined;
    const fields = entity === 'contacts' ? metadata.contactFields : metadata.leadFields;
    return fields.find((field) =>
      typeof ref === 'number' ? field.id === ref : field.code !== null && sameText(field.code, ref),
    );
  }

  /** Drops the snapshot (disconnect, another account). */
  async forget(workspaceId: string): Promise<void> {
    await this.snapshots.deleteByWorkspace(workspaceId);
    this.memory.delete(workspaceId);
  }
}

export function buildSnapshot(
  account: AmoAccount,
  users: AmoUser[],
  pipelines: AmoPipeline[],
  contactFields: AmoCustomField[],
  leadFields: AmoCustomField[],
): AmocrmMetadataSnapshot {
  return {
    account: {
      id: account.id,
      name: account.name,
      subdomain: account.subdomain,
      currentUserId: account.current_user_id ?? null,
      currency: account.currency ?? null,
    },
    users: users.map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email ?? null,
      isAdmin: user.rights?.is_admin === true,
      isActive: user.rights?.is_active !== false,
    })),
    pipelines: [...pipelines]
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
      .map((pipeline) => ({
        id: pipeline.id,
        name: pipeline.name,
        isMain: pipeline.is_main,
        isArchive: pipeline.is_archive === true,
        sort: pipeline.sort,
        statuses: [...(pipeline._embedded?.statuses ?? [])]
          .sort((a, b) => a.sort - b.sort || a.id - b.id)
          .map((status) => ({
            id: status.id,
            name: status.name,
            color: status.color ?? null,
            type: status.type,
            sort: status.sort,
          })),
      })),
    contactFields: contactFields.map(fieldMeta),
    leadFields: leadFields.map(fieldMeta),
  };
}

function fieldMeta(field: AmoCustomField): AmocrmCustomFieldMeta {
  return {
    id: field.id,
    name: field.name,
    code: field.code ?? null,
    type: field.type,
    sort: field.sort,
    enums: field.enums
      ? field.enums.map((option) => ({ id: option.id, value: option.value, sort: option.sort }))
      : null,
  };
}

function pickPipeline(pipelines: AmocrmPipelineMeta[], ref: number | string): AmocrmPipelineMeta | undefined {
  return pipelines.find((pipeline) =>
    typeof ref === 'number' ? pipeline.id === ref : sameText(pipeline.name, ref),
  );
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('ru') === b.trim().toLocaleLowerCase('ru');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
