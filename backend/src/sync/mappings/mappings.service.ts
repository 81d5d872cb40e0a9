import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AmocrmMetadataService } from '../../amocrm/metadata/amocrm-metadata.service';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedActor } from '../../auth/current-principal.decorator';
import { NotFoundProblem, ValidationProblem } from '../../http/problem';
import { LptrackerConnectionsService } from '../../lptracker/connection/lptracker-connections.service';
import { LptrackerProjectsService } from '../../lptracker/connection/lptracker-projects.service';
import { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import { SettingsVersionService } from '../../settings/settings-version.service';
import { LptrackerMappingEntity } from './lptracker-mapping.entity';
import { LptrackerMappingsRepository } from './lptracker-mappings.repository';
import { buildCatalog, type MappingCatalog } from './mapping-catalog';
import { defaultDocument, isBareDefault, isUntouchedDefault } from './mapping-defaults';
import { parseMappingDocument } from './mapping-shape';
import { checkDocument, type ValidationMeta } from './mapping-validation';
import {
  MAPPING_DIRECTIONS,
  type MappingDirection,
  type MappingDocument,
  type MappingProblem,
  type MappingVersionView,
} from './mapping.types';

/** A snapshot of amoCRM metadata older than this is reloaded once when a save finds problems with it. */
const RELOAD_AFTER_MS = 60_000;

/** Thrown inside a transaction to roll it back when a default mapping already exists. */
class AlreadyMapped extends Error {}

export interface MappingSummary {
  projectId: number;
  projectName: string;
  direction: MappingDirection;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
  problems: MappingProblem[];
}

/**
 * Field mappings per (workspace, LPTracker project, direction), versioned: every save or restore appends a version
 * and bumps the workspace settings version in the same transaction. A project gets a default mapping when it is
 * enabled (or lazily, the first time one is needed). Runs pick the version of their settings version (`forRun`).
 */
@Injectable()
export class MappingsService implements OnModuleInit {
  private readonly logger = new Logger('Mappings');

  constructor(
    private readonly mappings: LptrackerMappingsRepository,
    private readonly settings: SettingsVersionService,
    private readonly amocrmMetadata: AmocrmMetadataService,
    private readonly lptrackerMetadata: LptrackerMetadataService,
    private readonly lptrackerConnections: LptrackerConnectionsService,
    private readonly lptrackerProjects: LptrackerProjectsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.lptrackerProjects.addListener({
      projectEnabled: async (workspaceId, projectId) => {
        try {
          await this.ensureDefault(workspaceId, projectId, 'interactive');
        } catch (error) {
          // never fail the enable: the default is made lazily later
          this.logger.warn(
            { workspaceId, projectId, error: error instanceof Error ? error.message : String(error) },
            'The default LPTracker mapping could not be created',
          );
        }
      },
      projectDisabled: () => Promise.resolve(),
    });
  }

  /**
   * The mapping a run applies: the newest version saved at or before `settingsVersion` (else the oldest). Made
   * from the default when the project is enabled and has none yet; null when the project has none.
   */
  async forRun(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    settingsVersion: number,
  ): Promise<{ version: number; document: MappingDocument } | null> {
    let row = await this.mappings.forSettingsVersion(workspaceId, projectId, direction, settingsVersion);
    if (!row && (await this.isEnabled(workspaceId, projectId))) {
      await this.ensureDefault(workspaceId, projectId, 'sync');
      row = await this.mappings.forSettingsVersion(workspaceId, projectId, direction, settingsVersion);
    }
    if (row && isBareDefault(row) && (await this.completeBareDefault(workspaceId, projectId)))
      row = await this.mappings.latest(workspaceId, projectId, direction);
    return row ? { version: row.version, document: row.document } : null;
  }

  async current(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
  ): Promise<MappingVersionView | null> {
    const row = await this.mappings.latest(workspaceId, projectId, direction);
    return row ? viewOf(row) : null;
  }

  /** The current version for the console (404 when the project is not enabled here; the default made if missing). */
  async get(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
  ): Promise<MappingVersionView & { problems: MappingProblem[] }> {
    await this.requireEnabled(workspaceId, projectId);
    let row = await this.mappings.latest(workspaceId, projectId, direction);
    if (!row) {
      await this.ensureDefault(workspaceId, projectId, 'interactive');
      row = await this.mappings.latest(workspaceId, projectId, direction);
    }
    if (!row) throw new NotFoundProblem('A mapping of this project');
    if (isBareDefault(row) && (await this.completeBareDefault(workspaceId, projectId)))
      row = (await this.mappings.latest(workspaceId, projectId, direction)) ?? row;
    const meta = await this.meta(workspaceId, projectId);
    return { ...viewOf(row), problems: checkDocument(row.document, direction, meta) };
  }

  /** The current mapping of every enabled project and direction, with its problems. */
  async list(workspaceId: string): Promise<MappingSummary[]> {
    const { projects } = await this.lptrackerConnections.state(workspaceId);
    const items: MappingSummary[] = [];
    for (const project of projects) {
      const meta = await this.meta(workspaceId, project.projectId);
      for (const direction of MAPPING_DIRECTIONS) {
        let row = await this.mappings.latest(workspaceId, project.projectId, direction);
        if (!row) {
          await this.ensureDefault(workspaceId, project.projectId, 'interactive');
          row = await this.mappings.latest(workspaceId, project.projectId, direction);
        }
        if (!row) continue;
        items.push({
          projectId: project.projectId,
          projectName: project.name,
          direction,
          version: row.version,
          updatedAt: row.createdAt.toISOString(),
          updatedBy: row.createdBy,
          problems: checkDocument(row.document, direction, meta),
        });
      }
    }
    return items;
  }

  /** What a saved mapping can no longer apply with the current metadata (a field deleted in either CRM…). */
  async problems(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
  ): Promise<MappingProblem[]> {
    const row = await this.mappings.latest(workspaceId, projectId, direction);
    return row ? checkDocument(row.document, direction, await this.meta(workspaceId, projectId)) : [];
  }

  /** Validates the body (shape, then both metadata caches) and saves it as the next version. */
  async save(
    actor: AuthenticatedActor,
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    body: unknown,
  ): Promise<MappingVersionView> {
    const document = await this.validate(workspaceId, projectId, direction, body);
    const row = await this.append(workspaceId, projectId, direction, document, 'save', actor.principal.label);
    await this.recordAudit(actor, row, 'mapping.saved');
    return viewOf(row);
  }

  /** The document a body would save, validated; throws a ValidationProblem naming each wrong path. */
  async validate(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    body: unknown,
  ): Promise<MappingDocument> {
    await this.requireEnabled(workspaceId, projectId);
    const { document, errors } = parseMappingDocument(body);
    if (!document) throw new ValidationProblem(errors);
    let meta = await this.meta(workspaceId, projectId);
    if (!meta.lptracker) {
      // never loaded (LPTracker was down when the project was enabled): try once before refusing custom fields
      await this.lptrackerMetadata.refresh(workspaceId, 'interactive').catch(() => undefined);
      meta = await this.meta(workspaceId, projectId);
    }
    let problems = checkDocument(document, direction, meta);
    if (problems.length > 0 && isStale(meta.amocrm)) {
      meta = { ...meta, amocrm: await this.reloadAmocrm(workspaceId, meta.amocrm) };
      problems = checkDocument(document, direction, meta);
    }
    if (problems.length > 0)
      throw new ValidationProblem(
        problems.map((problem) => ({ field: problem.path, code: problem.code, message: problem.message })),
        'The mapping does not fit the fields of amoCRM or LPTracker: see errors.',
      );
    return document;
  }

  /** Saves a copy of an older version as the next version (origin `restore:<n>`). */
  async restore(
    actor: AuthenticatedActor,
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    version: number,
  ): Promise<MappingVersionView> {
    await this.requireEnabled(workspaceId, projectId);
    const old = await this.mappings.findVersion(workspaceId, projectId, direction, version);
    if (!old) throw new NotFoundProblem(`Version ${version} of this mapping`);
    const row = await this.append(
      workspaceId,
      projectId,
      direction,
      old.document,
      `restore:${version}`,
      actor.principal.label,
    );
    await this.recordAudit(actor, row, 'mapping.restored');
    return viewOf(row);
  }

  async versions(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    page: { skip: number; take: number },
  ): Promise<{ items: MappingVersionView[]; total: number }> {
    await this.requireEnabled(workspaceId, projectId);
    const [rows, total] = await this.mappings.page(workspaceId, projectId, direction, page.skip, page.take);
    return { items: rows.map(viewOf), total };
  }

  async catalog(workspaceId: string, projectId: number): Promise<MappingCatalog> {
    await this.requireEnabled(workspaceId, projectId);
    const meta = await this.meta(workspaceId, projectId);
    return buildCatalog(meta.amocrm, meta.lptracker);
  }

  /** Both directions' first version from the default, for those not mapped yet. */
  async ensureDefault(
    workspaceId: string,
    projectId: number,
    lane: 'interactive' | 'sync' = 'sync',
  ): Promise<void> {
    const missing: MappingDirection[] = [];
    for (const direction of MAPPING_DIRECTIONS)
      if (!(await this.mappings.latest(workspaceId, projectId, direction))) missing.push(direction);
    if (missing.length === 0) return;
    let meta = await this.meta(workspaceId, projectId);
    if (!meta.lptracker) {
      // the project was just enabled: its stages and staff are loaded after the listeners are told
      await this.lptrackerMetadata.refresh(workspaceId, lane).catch(() => undefined);
      meta = await this.meta(workspaceId, projectId);
    }
    if (!meta.amocrm) meta = { ...meta, amocrm: await this.reloadAmocrm(workspaceId, null) };
    for (const direction of missing) {
      const document = defaultDocument(direction, meta.amocrm, meta.lptracker);
      await this.append(workspaceId, projectId, direction, document, 'default', null, true).catch((error) => {
        if (!(error instanceof AlreadyMapped)) throw error;
      });
    }
  }

  /**
   * A default made while amoCRM was not connected (LPTracker connected first) has no amoCRM fields, pipeline, stage
   * or user maps. Once amoCRM's metadata is there, both directions get a fresh default as a new version — only while
   * nobody has edited them (version 1 from the default), so an admin's mapping is never replaced. True when done.
   */
  private async completeBareDefault(workspaceId: string, projectId: number): Promise<boolean> {
    const meta = await this.meta(workspaceId, projectId);
    if (!meta.amocrm) return false;
    let changed = false;
    for (const direction of MAPPING_DIRECTIONS) {
      const latest = await this.mappings.latest(workspaceId, projectId, direction);
      if (!latest || !isUntouchedDefault(latest)) continue;
      const document = defaultDocument(direction, meta.amocrm, meta.lptracker);
      if (JSON.stringify(document) === JSON.stringify(latest.document)) continue;
      await this.append(workspaceId, projectId, direction, document, 'default', null, false, 2);
      changed = true;
    }
    return changed;
  }

  /** The metadata of both caches for one project (null parts when not loaded). */
  async meta(workspaceId: string, projectId: number): Promise<ValidationMeta> {
    const [amocrm, lptracker] = await Promise.all([
      this.amocrmMetadata.getMetadata(workspaceId),
      this.lptrackerMetadata.getMetadata(workspaceId),
    ]);
    return { amocrm, lptracker: lptracker.find((project) => project.project.id === projectId) ?? null };
  }

  async requireEnabled(workspaceId: string, projectId: number): Promise<void> {
    if (!(await this.isEnabled(workspaceId, projectId)))
      throw new NotFoundProblem('An enabled LPTracker project with this id');
  }

  private async isEnabled(workspaceId: string, projectId: number): Promise<boolean> {
    const { projects } = await this.lptrackerConnections.state(workspaceId);
    return projects.some((project) => project.projectId === projectId);
  }

  /** Appends the next version and bumps the settings version, in one transaction. */
  private append(
    workspaceId: string,
    projectId: number,
    direction: MappingDirection,
    document: MappingDocument,
    origin: string,
    createdBy: string | null,
    onlyIfAbsent = false,
    /** Appended only as this version (a concurrent save or upgrade got there first otherwise). */
    onlyAsVersion: number | null = null,
  ): Promise<LptrackerMappingEntity> {
    return this.mappings.transaction(async (manager) => {
      // the bump locks the workspace's settings row first: saves of one workspace queue here
      const settingsVersion = await this.settings.bumpSettingsVersion(workspaceId, manager);
      const version = await this.mappings.nextVersion(manager, workspaceId, projectId, direction);
      if (onlyIfAbsent && version > 1) throw new AlreadyMapped();
      if (onlyAsVersion !== null && version !== onlyAsVersion) throw new AlreadyMapped();
      const row = new LptrackerMappingEntity();
      Object.assign(row, {
        workspaceId,
        projectId,
        direction,
        version,
        document,
        settingsVersion,
        origin,
        createdBy,
      });
      return this.mappings.insert(manager, row);
    });
  }

  private async reloadAmocrm(
    workspaceId: string,
    fallback: AmocrmMetadata | null,
  ): Promise<AmocrmMetadata | null> {
    try {
      return await this.amocrmMetadata.refresh(workspaceId, 'interactive');
    } catch {
      return fallback; // amoCRM not connected or unreachable: check with what is cached
    }
  }

  private recordAudit(actor: AuthenticatedActor, row: LptrackerMappingEntity, action: string): Promise<void> {
    return this.audit.record(actor, {
      workspaceId: row.workspaceId,
      action,
      targetType: 'lptracker_mapping',
      targetId: row.id,
      details: {
        projectId: row.projectId,
        direction: row.direction,
        version: row.version,
        origin: row.origin,
      },
    });
  }
}

function isStale(metadata: AmocrmMetadata | null): boolean {
  return metadata === null || Date.now() - metadata.fetchedAt.getTime() >= RELOAD_AFTER_MS;
}

export function viewOf(row: LptrackerMappingEntity): MappingVersionView {
  return {
    projectId: row.projectId,
    direction: row.direction,
    version: row.version,
    document: row.document,
    settingsVersion: row.settingsVersion,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    origin: row.origin,
  };
}
