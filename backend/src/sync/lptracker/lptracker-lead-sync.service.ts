import { Injectable } from '@nestjs/common';
import { AmocrmConnectionsService } from '../../amocrm/connection/amocrm-connections.service';
import { AppConfig } from '../../config/app-config';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import { KeyedLockService } from '../keyed-lock.service';
import { planAmocrmWrite, sourceFieldsOfUpdate, type MappingMeta } from '../mappings/mapping-apply';
import { MappingsService } from '../mappings/mappings.service';
import type { AmocrmWritePlan, FieldRef } from '../mappings/mapping.types';
import { SyncMetadataService } from '../sync-metadata.service';
import { changedRefs, sourceValuesOf, type SourceValues } from './last-seen';
import { LptrackerEchoGuardService } from './lptracker-echo-guard.service';
import type { LptrackerLinkEntity } from './lptracker-link.entity';
import { LptrackerLeadCreateService } from './lptracker-lead-create.service';
import { LptrackerLeadUpdateService } from './lptracker-lead-update.service';
import { LptrackerLinksService } from './lptracker-links.service';
import type { LptrackerSyncResult, LptrackerSyncRun, SyncTrace } from './lptracker-sync.types';

/** The lock of one LPTracker lead: every delivery of it (callbacks, reconciliation, replays) runs one at a time. */
export function lptrackerLeadLockKey(workspaceId: string, leadId: number): string {
  return `lptracker-lead:${workspaceId}:${leadId}`;
}

/** Why leads are skipped while the workspace has no amoCRM connection. */
export const NOT_CONNECTED_DETAIL =
  'amoCRM is not connected: the lead is recorded here and not written anywhere';

/** Kept in `lastSeen` beside the source values: the LPTracker time of the change applied last (unix ms). */
const SEEN_AT = '@changedAt';

/**
 * LPTracker → amoCRM: one LPTracker lead applied through the project's mapping (the version in force at the
 * event's settings version). Under the lead's lock: a linked lead gets only the mapped fields its change touched
 * (`action_update_fields`, else the values that differ from those seen last; none → skipped as filtered with no
 * amoCRM request), after the LPTracker echo guard says it is not our own write coming back; an unlinked lead is
 * created (LptrackerLeadCreateService). Deletes are recorded, never applied. `callback` is never sent to LPTracker:
 * this direction makes no LPTracker request at all.
 */
@Injectable()
export class LptrackerLeadSyncService {
  constructor(
    private readonly config: AppConfig,
    private readonly amocrm: AmocrmConnectionsService,
    private readonly locks: KeyedLockService,
    private readonly links: LptrackerLinksService,
    private readonly mappings: MappingsService,
    private readonly lptrackerMetadata: LptrackerMetadataService,
    private readonly amocrmMetadata: SyncMetadataService,
    private readonly echo: LptrackerEchoGuardService,
    private readonly creator: LptrackerLeadCreateService,
    private readonly updater: LptrackerLeadUpdateService,
  ) {}

  apply(workspaceId: string, lead: LptrackerLead, run: LptrackerSyncRun): Promise<LptrackerSyncResult> {
    return this.locks.withLocks([lptrackerLeadLockKey(workspaceId, lead.id)], () =>
      this.applyLocked(workspaceId, lead, run.settingsVersion, run.trace),
    );
  }

  private async applyLocked(
    workspaceId: string,
    lead: LptrackerLead,
    settingsVersion: number,
    trace: SyncTrace,
  ): Promise<LptrackerSyncResult> {
    const link = await this.links.findByLptrackerLead(workspaceId, lead.id);
    if (lead.action === 'delete') {
      const detail = link
        ? `Deleted in LPTracker; the amoCRM lead ${link.amocrmLeadId} is kept (the sync never deletes in amoCRM)`
        : 'Deleted in LPTracker; it was never synced to amoCRM';
      trace.note('LPTracker: lead deleted', { amocrmLeadId: link?.amocrmLeadId ?? null });
      return { outcome: 'skipped', reason: 'filtered', detail };
    }
    if (!(await this.amocrm.getAccountIdentity(workspaceId))) {
      trace.note('amoCRM: not connected');
      return { outcome: 'skipped', reason: 'filtered', detail: NOT_CONNECTED_DETAIL };
    }
    const mapping = await this.mappings.forRun(
      workspaceId,
      lead.projectId,
      'lptracker_to_amocrm',
      settingsVersion,
    );
    if (!mapping) {
      const detail = `LPTracker project ${lead.projectId} has no mapping to amoCRM (is the project enabled?)`;
      trace.note('mapping: none', { projectId: lead.projectId });
      return { outcome: 'skipped', reason: 'filtered', detail };
    }
    trace.note(`mapping: version ${mapping.version}`, { settingsVersion });
    const meta = await this.metaOf(workspaceId, lead.projectId);
    const seen: SourceValues = {
      ...sourceValuesOf(mapping.document, lead, meta.lptracker),
      [SEEN_AT]: changedAtOf(lead) === null ? [] : [String(changedAtOf(lead))],
    };
    if (!link) {
      const plan = planAmocrmWrite(mapping.document, lead, meta);
      notePlan(trace, plan);
      return this.creator.create(
        workspaceId,
        { lead, document: mapping.document, plan, lastSeen: seen },
        trace,
      );
    }
    trace.note('link: found', { linkId: link.id, amocrmLeadId: link.amocrmLeadId });
    const older = olderThanSeen(lead, link);
    if (older) {
      trace.note('LPTracker: an older change than the one applied last', older);
      return {
        outcome: 'skipped',
        reason: 'filtered',
        detail: 'An older change than the one already applied',
      };
    }
    if (await this.isEcho(workspaceId, lead)) {
      trace.note('LPTracker: our own write to the lead coming back');
      return {
        outcome: 'skipped',
        reason: 'echo',
        detail: 'The change is our own write to LPTracker coming back',
      };
    }
    const only = this.touchedRefs(lead, link, seen);
    trace.note('LPTracker: changed fields', only);
    const plan = only.length > 0 ? planAmocrmWrite(mapping.document, lead, meta, { only }) : null;
    if (plan) notePlan(trace, plan);
    if (!plan || plan.written.length === 0) {
      const what = lead.updateFields
        ? `(${lead.updateFields.join(', ')})`
        : '(no field differs from the last seen)';
      return { outcome: 'skipped', reason: 'filtered', detail: `No mapped field changed ${what}` };
    }
    return this.updater.update(workspaceId, { lead, link, plan, lastSeen: seen }, trace);
  }

  /** `action_update_fields` when sent, else the mapped sources whose values differ from those seen last. */
  private touchedRefs(lead: LptrackerLead, link: LptrackerLinkEntity, seen: SourceValues): FieldRef[] {
    if (lead.updateFields !== null) return sourceFieldsOfUpdate(lead.updateFields);
    const current = { ...seen };
    delete current[SEEN_AT];
    return changedRefs(link.lastSeen, current);
  }

  private isEcho(workspaceId: string, lead: LptrackerLead): Promise<boolean> {
    const custom: Record<string, unknown> = {};
    for (const field of lead.custom) custom[String(field.id)] = field.value;
    const actionAt = lead.actionTimestamp === null ? null : Number(lead.actionTimestamp);
    return this.echo.isEcho(workspaceId, lead.id, {
      stageId: lead.stageId,
      ownerId: lead.ownerId,
      name: lead.name,
      custom,
      updateFields: lead.updateFields,
      actionAt: Number.isFinite(actionAt) ? actionAt : null,
    });
  }

  private async metaOf(workspaceId: string, projectId: number): Promise<MappingMeta> {
    const [amocrm, projects] = await Promise.all([
      this.amocrmMetadata.cached(workspaceId),
      this.lptrackerMetadata.getMetadata(workspaceId),
    ]);
    const lptracker = projects.find((project) => project.project.id === projectId) ?? null;
    return { amocrm, lptracker, region: this.config.defaultPhoneRegion };
  }
}

/** Below this an `action_timestamp` is taken as unix seconds (its unit is unconfirmed), above as milliseconds. */
const SECONDS_BELOW = 100_000_000_000;

/** The LPTracker time of the change (unix ms): `action_timestamp`, else `updated_at`; null when neither is sent. */
export function changedAtOf(lead: Pick<LptrackerLead, 'actionTimestamp' | 'updatedAt'>): number | null {
  const action = lead.actionTimestamp === null ? NaN : Number(lead.actionTimestamp);
  if (Number.isFinite(action) && action > 0) return action < SECONDS_BELOW ? action * 1000 : action;
  return lead.updatedAt === null ? null : lead.updatedAt * 1000;
}

/** When the change is older than the one applied last (a replay of an old event): both times; else null. */
function olderThanSeen(
  lead: LptrackerLead,
  link: LptrackerLinkEntity,
): { changedAt: number; appliedAt: number } | null {
  const changedAt = changedAtOf(lead);
  const stored = link.lastSeen?.[SEEN_AT];
  const appliedAt = Array.isArray(stored) && stored.length > 0 ? Number(stored[0]) : NaN;
  if (changedAt === null || !Number.isFinite(appliedAt) || changedAt >= appliedAt) return null;
  return { changedAt, appliedAt };
}

/** The plan in the trace: what was written from which line, and the lines that could not be applied. */
function notePlan(trace: SyncTrace, plan: AmocrmWritePlan): void {
  trace.note(
    'mapping: fields to write',
    plan.written.map((written) => ({ line: written.line, source: written.source, target: written.target })),
  );
  if (plan.problems.length > 0)
    trace.note(
      'mapping: problems for this lead',
      plan.problems.map((problem) => ({ path: problem.path, code: problem.code, message: problem.message })),
    );
}
