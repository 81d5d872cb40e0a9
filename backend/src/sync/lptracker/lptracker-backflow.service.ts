import { Injectable } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmWebhookChange } from '../../amocrm/webhooks';
import { AppConfig } from '../../config/app-config';
import type { JsonObject, JsonValue } from '../../database/columns';
import type { LptrackerLeadPatch } from '../../lptracker/client/lptracker-account-api';
import { LptrackerClient } from '../../lptracker/client/lptracker-client';
import {
  LptrackerApiError,
  LptrackerNeedsReauthError,
  LptrackerNotConnectedError,
} from '../../lptracker/lptracker.problems';
import { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import { KeyedLockService } from '../keyed-lock.service';
import { planLptrackerWrite, type AmoLeadSnapshot } from '../mappings/mapping-apply';
import { MappingsService } from '../mappings/mappings.service';
import type { LptrackerWritePlan } from '../mappings/mapping.types';
import { SyncMetadataService } from '../sync-metadata.service';
import { LptrackerEchoGuardService } from './lptracker-echo-guard.service';
import type { LptrackerLinkEntity } from './lptracker-link.entity';
import { LptrackerLinkFinder } from './lptracker-link-finder';
import { LptrackerLinksService } from './lptracker-links.service';

/** Where the back-flow writes its trace (the inbox's processing context fits it; the engine does not import it). */
export interface BackflowTrace {
  step<T>(name: string, work: () => Promise<T> | T, detail?: JsonValue): Promise<T>;
  note(name: string, detail?: JsonValue): void;
}

/**
 * What happened to one amoCRM lead change (kept on the event's page): `amocrmLeadId`, `lptrackerLeadId`, `outcome`
 * (`written` | `unchanged` | `skipped`), `reason`, `mappingVersion`, `problems`, `requests`.
 */
export type BackflowResult = JsonObject;

/** One amoCRM lead as a change describes it (a webhook change, or a lead read back by reconciliation). */
export interface BackflowLeadChange {
  id: number;
  pipelineId: number | null;
  statusId: number | null;
  snapshot: AmoLeadSnapshot;
}

/** The lock of one LPTracker lead: the same key LptrackerLeadSyncService takes, so the two directions take turns. */
export function lptrackerLeadLock(workspaceId: string, leadId: number): string {
  return `lptracker-lead:${workspaceId}:${leadId}`;
}

/**
 * amoCRM → LPTracker: an amoCRM lead change (a stage move, a mapped field) on a lead linked to an LPTracker lead is
 * written back through the project's `amocrm_to_lptracker` mapping (the version in force at the event's settings
 * version). Under the LPTracker lead's lock: only what differs from what the link last saw (the stage, mapped
 * custom values, name, owner) is sent — the stage with `PUT /lead/{id}/funnel`, the rest in one `PUT /lead/{id}` —
 * each request recorded in the LPTracker echo guard before the lock is released, so the callback LPTracker sends
 * for it is skipped as our own write. Then the link records the stage, the amoCRM status and the direction. An
 * unlinked lead, or LPTracker not connected, makes no request.
 */
@Injectable()
export class LptrackerBackflowService {
  private readonly region: CountryCode;
  /** The link lookups of the events processed at the same time, one read for all of them. */
  private readonly linkFinder: LptrackerLinkFinder;

  constructor(
    config: AppConfig,
    private readonly links: LptrackerLinksService,
    private readonly locks: KeyedLockService,
    private readonly mappings: MappingsService,
    private readonly client: LptrackerClient,
    private readonly lptrackerMetadata: LptrackerMetadataService,
    private readonly amocrmMetadata: SyncMetadataService,
    private readonly echo: LptrackerEchoGuardService,
  ) {
    this.region = config.defaultPhoneRegion;
    this.linkFinder = new LptrackerLinkFinder((workspaceId, ids) =>
      this.links.findByAmocrmLeadIds(workspaceId, ids),
    );
  }

  /** Applies lead changes (not echoes) of one amoCRM event; the last change of each lead wins. */
  async apply(
    workspaceId: string,
    changes: readonly BackflowLeadChange[],
    run: { settingsVersion: number; trace: BackflowTrace },
  ): Promise<BackflowResult[]> {
    const latest = new Map<number, BackflowLeadChange>();
    for (const change of changes) latest.set(change.id, change);
    if (latest.size === 0) return [];
    const linked = await run.trace.step('LPTracker back-flow: find links', () =>
      this.linkFinder.findByAmocrmLeadIds(workspaceId, [...latest.keys()]),
    );
    if (linked.length === 0) return [];
    const results: BackflowResult[] = [];
    for (const found of linked) {
      const change = latest.get(found.amocrmLeadId);
      if (!change) continue;
      results.push(
        await this.locks.withLocks([lptrackerLeadLock(workspaceId, found.lptrackerLeadId)], (held) =>
          this.applyLocked(workspaceId, found.lptrackerLeadId, change, run, () => held.assertHeld()),
        ),
      );
    }
    return results;
  }

  private async applyLocked(
    workspaceId: string,
    lptrackerLeadId: number,
    change: BackflowLeadChange,
    run: { settingsVersion: number; trace: BackflowTrace },
    assertHeld: () => void,
  ): Promise<BackflowResult> {
    const base = { amocrmLeadId: change.id, lptrackerLeadId };
    // read again under the lock: the other direction may have just written this lead
    const link = await this.links.findByLptrackerLead(workspaceId, lptrackerLeadId);
    if (!link || link.amocrmLeadId !== change.id)
      return { ...base, outcome: 'skipped', reason: 'the link changed meanwhile' };
    const mapping = await this.mappings.forRun(
      workspaceId,
      link.projectId,
      'amocrm_to_lptracker',
      run.settingsVersion,
    );
    if (!mapping)
      return { ...base, outcome: 'skipped', reason: 'the project has no amoCRM → LPTracker mapping' };
    const [amocrm, projects] = await Promise.all([
      this.amocrmMetadata.cached(workspaceId),
      this.lptrackerMetadata.getMetadata(workspaceId),
    ]);
    const lptracker = projects.find((project) => project.project.id === link.projectId) ?? null;
    const plan = planLptrackerWrite(mapping.document, change.snapshot, {
      amocrm,
      lptracker,
      region: this.region,
    });
    const statusChanged =
      change.statusId !== null &&
      (change.statusId !== link.amocrmStatusId ||
        (change.pipelineId !== null && change.pipelineId !== link.amocrmPipelineId));
    const writes = pendingWrites(plan, link, statusChanged);
    const detail: JsonObject = {
      ...base,
      mappingVersion: mapping.version,
      problems: plan.problems.map((problem) => ({ ...problem })),
    };
    if (plan.problems.length > 0) run.trace.note('LPTracker back-flow: mapping problems', detail);
    if (writes.stageId === undefined && writes.patch === null) {
      if (statusChanged) await this.recordAmocrmStatus(workspaceId, link, change, null);
      return { ...detail, outcome: 'unchanged', reason: 'nothing mapped differs from what LPTracker has' };
    }

    const api = this.client.forWorkspace(workspaceId, 'sync');
    const requests: JsonObject[] = [];
    try {
      if (writes.stageId !== undefined) {
        const stageId = writes.stageId;
        assertHeld();
        const answer = await run.trace.step(
          `LPTracker: PUT /lead/${lptrackerLeadId}/funnel`,
          () => api.changeStage(lptrackerLeadId, stageId),
          { funnel: stageId },
        );
        await this.echo.recordWrite(workspaceId, lptrackerLeadId, { stageId });
        requests.push({
          what: `PUT /lead/${lptrackerLeadId}/funnel`,
          stageId,
          answerStageId: answer.stageId,
        });
      }
      if (writes.patch !== null) {
        const patch = writes.patch;
        assertHeld();
        await run.trace.step(
          `LPTracker: PUT /lead/${lptrackerLeadId}`,
          () => api.updateLead(lptrackerLeadId, patch),
          { fields: Object.keys(patch) },
        );
        await this.echo.recordWrite(workspaceId, lptrackerLeadId, {
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.owner === undefined ? {} : { ownerId: patch.owner }),
          ...(patch.custom === undefined ? {} : { custom: patch.custom }),
        });
        requests.push({ what: `PUT /lead/${lptrackerLeadId}`, fields: Object.keys(patch), answer: 'ok' });
      }
    } catch (error) {
      if (error instanceof LptrackerNotConnectedError || error instanceof LptrackerNeedsReauthError)
        return {
          ...detail,
          outcome: 'skipped',
          reason: `LPTracker is not usable: ${error.message}`,
          requests,
        };
      if (error instanceof LptrackerApiError)
        return {
          ...detail,
          outcome: 'skipped',
          reason: `LPTracker refused: ${error.lptrackerMessage}`,
          requests,
        };
      throw error;
    }
    await this.recordAmocrmStatus(workspaceId, link, change, writes);
    return { ...detail, outcome: 'written', requests };
  }

  /** The link remembers the amoCRM status seen and what was written to LPTracker (stage, values in `lastSeen`). */
  private recordAmocrmStatus(
    workspaceId: string,
    link: LptrackerLinkEntity,
    change: BackflowLeadChange,
    writes: { stageId?: number; seen: Record<string, string[]> } | null,
  ): Promise<void> {
    // nothing written (a status the stage map does not name): the direction of the last write stays
    const direction =
      writes === null && link.lastDirection !== 'amocrm_to_lptracker'
        ? 'lptracker_to_amocrm'
        : 'amocrm_to_lptracker';
    return this.links.recordSync(workspaceId, link.id, {
      direction,
      lptrackerStageId: writes?.stageId ?? link.lptrackerStageId,
      amocrmPipelineId: change.pipelineId ?? link.amocrmPipelineId,
      amocrmStatusId: change.statusId ?? link.amocrmStatusId,
      lastSeen: { ...(link.lastSeen ?? {}), ...(writes?.seen ?? {}) },
    });
  }
}

/** A lead change of an amoCRM webhook (its contact is not in a lead webhook). */
export function changeOfWebhook(change: AmocrmWebhookChange): BackflowLeadChange {
  return {
    id: change.id,
    pipelineId: change.pipelineId,
    statusId: change.statusId,
    snapshot: snapshotOf(change),
  };
}

/** A lead read back from the amoCRM API (reconciliation). */
export function changeOfLead(lead: AmoLead): BackflowLeadChange {
  return {
    id: lead.id,
    pipelineId: lead.pipeline_id,
    statusId: lead.status_id,
    snapshot: {
      name: lead.name,
      price: lead.price,
      pipelineId: lead.pipeline_id,
      statusId: lead.status_id,
      responsibleUserId: lead.responsible_user_id,
      tags: (lead._embedded?.tags ?? []).map((tag) => tag.name),
      customFields: (lead.custom_fields_values ?? []).flatMap((field) =>
        field.field_id === undefined
          ? []
          : [
              {
                fieldId: field.field_id,
                values: field.values.map((item) => ({
                  ...(item.value === null || item.value === undefined ? {} : { value: item.value }),
                  ...(item.enum_id === undefined ? {} : { enumId: item.enum_id }),
                })),
              },
            ],
      ),
      contact: null,
    },
  };
}

/** The amoCRM lead as the webhook describes it. */
export function snapshotOf(change: AmocrmWebhookChange): AmoLeadSnapshot {
  return {
    name: change.name,
    price: change.price,
    pipelineId: change.pipelineId,
    statusId: change.statusId,
    responsibleUserId: change.responsibleUserId,
    tags: change.tags.map((tag) => tag.name),
    customFields: change.customFields.flatMap((field) =>
      field.id === null
        ? []
        : [
            {
              fieldId: field.id,
              values: field.values.map((item) => ({
                ...(item.value === null ? {} : { value: item.value }),
                ...(item.enum === null ? {} : { enumId: item.enum }),
              })),
            },
          ],
    ),
    contact: null,
  };
}

/**
 * What to send: the planned values that differ from those the link last saw (the stage, after a status move, from
 * the link's column; the rest from `lastSeen`, LPTracker FieldRef → values as text, the form the LPTracker → amoCRM
 * sync keeps), and the `lastSeen` entries to record after writing them.
 */
export function pendingWrites(
  plan: LptrackerWritePlan,
  link: Pick<LptrackerLinkEntity, 'lptrackerStageId' | 'lastSeen'>,
  statusChanged: boolean,
): { stageId?: number; patch: LptrackerLeadPatch | null; seen: Record<string, string[]> } {
  const seenBefore = link.lastSeen ?? {};
  const seen: Record<string, string[]> = {};
  const differs = (ref: string, value: string | number): boolean => {
    const now = [String(value)];
    if (JSON.stringify(seenBefore[ref] ?? null) === JSON.stringify(now)) return false;
    seen[ref] = now;
    return true;
  };
  const patch: LptrackerLeadPatch = {};
  let stageId: number | undefined;
  // the stage follows a status move only: a status the link already saw is not written back again
  if (statusChanged && plan.stageId !== null && plan.stageId !== link.lptrackerStageId) {
    stageId = plan.stageId;
    seen['lead.stage'] = [String(plan.stageId)];
  }
  if (plan.name !== null && differs('lead.name', plan.name)) patch.name = plan.name;
  if (plan.ownerId !== null && differs('lead.owner', plan.ownerId)) patch.owner = plan.ownerId;
  const custom: Record<string, string | number> = {};
  for (const [id, value] of Object.entries(plan.custom))
    if (differs(`lead.custom.${id}`, value)) custom[id] = value;
  if (Object.keys(custom).length > 0) patch.custom = custom;
  return { stageId, patch: Object.keys(patch).length > 0 ? patch : null, seen };
}
