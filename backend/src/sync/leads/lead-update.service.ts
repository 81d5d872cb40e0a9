import { Injectable } from '@nestjs/common';
import type { AmocrmAccountApi } from '../../amocrm/client/amocrm-account-api';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import { NotFoundProblem, ValidationProblem } from '../../http/problem';
import type { UpdateLeadDto } from '../../leads/dto/lead.dto';
import type { LeadEntity } from '../../leads/lead.entity';
import { LeadsService } from '../../leads/leads.service';
import { explainAmocrmRefusal } from '../amocrm-paths';
import { EchoGuardService } from '../echo-guard.service';
import { EngineWritesService, type WriteOptions } from '../engine-writes';
import { KeyedLockService, type HeldLocks } from '../keyed-lock.service';
import { leadFieldValues } from '../mirror-field-values';
import { SyncMetadataService } from '../sync-metadata.service';
import { placementNames, type PlacementNames } from './lead-rules';
import {
  buildLeadWrite,
  echoFieldsOfLead,
  leadChangeOf,
  leadUpdateErrors,
  mergedTags,
  mirrorChangesOfUpdate,
  type LeadChange,
} from './lead-writes';

/** A lead written by an update, with its pipeline and status names. */
export interface UpdatedLead {
  lead: LeadEntity;
  names: PlacementNames;
}

/**
 * The engine's lead updates: checked against the metadata (read once), pushed to amoCRM under the lead's write
 * lock, then mirrored and recorded for the echo guard.
 */
@Injectable()
export class LeadUpdateService {
  constructor(
    private readonly leads: LeadsService,
    private readonly client: AmocrmClient,
    private readonly locks: KeyedLockService,
    private readonly echo: EchoGuardService,
    private readonly metadata: SyncMetadataService,
    private readonly writes: EngineWritesService,
  ) {}

  /**
   * Pushes the change to amoCRM, then to the mirror. `tags` replaces the set; `addTags` reads the lead's current
   * tags from amoCRM and writes them with the additions (read-merge-write). Then tells of the change
   * (`lead.updated`, `lead.stage_changed`; see EngineWritesService.updated).
   */
  async update(
    workspaceId: string,
    id: string,
    input: UpdateLeadDto,
    options: WriteOptions = {},
  ): Promise<UpdatedLead> {
    const lead = await this.liveLead(workspaceId, id);
    if (input.tags !== undefined && input.addTags !== undefined) {
      throw new ValidationProblem([
        { field: 'addTags', code: 'exclusive', message: 'give tags (replace) or addTags (add), not both' },
      ]);
    }
    const { metadata, problems } = await this.metadata.validated(workspaceId, (snapshot) =>
      leadUpdateErrors(input, lead.pipelineId, snapshot),
    );
    if (problems.length > 0) throw new ValidationProblem(problems);
    const change = leadChangeOf(input, lead.pipelineId, metadata);
    const updated = await this.locks.withLocks([`write:lead:${workspaceId}:${lead.amocrmId}`], (held) =>
      this.applyUpdate(workspaceId, lead, change, held),
    );
    await this.writes.updated(
      workspaceId,
      options,
      { entity: 'lead', id: lead.id, amocrmId: lead.amocrmId },
      leadFieldValues(lead),
      leadFieldValues(updated),
    );
    return { lead: updated, names: placementNames(metadata, updated.pipelineId, updated.statusId) };
  }

  /** The lead of the workspace, as long as it still lives in amoCRM (404 otherwise). */
  private async liveLead(workspaceId: string, id: string): Promise<LeadEntity & { amocrmId: number }> {
    const lead = await this.leads.get(workspaceId, id);
    if (lead.deletedAt !== null || lead.amocrmId === null)
      throw new NotFoundProblem('The lead (deleted in amoCRM)');
    return lead as LeadEntity & { amocrmId: number };
  }

  /** Under the lead's write lock: the tags merged, the update sent, then the mirror row and the echo record. */
  private async applyUpdate(
    workspaceId: string,
    lead: LeadEntity & { amocrmId: number },
    change: LeadChange,
    held: HeldLocks,
  ): Promise<LeadEntity> {
    const api = this.client.forWorkspace(workspaceId, 'interactive');
    const tags =
      change.addTags !== undefined
        ? await this.tagsWithAdded(workspaceId, api, lead.amocrmId, change.addTags)
        : change.tags;
    const update = buildLeadWrite(lead.amocrmId, change, tags);
    if (!update) return lead; // nothing changes
    held.assertHeld();
    let updatedAt: number | null;
    try {
      [{ updatedAt }] = await api.updateLeads([update]);
    } catch (error) {
      throw explainAmocrmRefusal(error, {
        prefix: '',
        customFields: change.customFields.map((field) => field.source),
      });
    }
    await this.leads.updateMirrorRow(
      workspaceId,
      lead.id,
      mirrorChangesOfUpdate(lead, update, change, tags, new Date()),
    );
    await this.echo.recordWrite(workspaceId, 'lead', lead.amocrmId, {
      fields: echoFieldsOfLead({
        name: update.name,
        statusId: update.status_id,
        pipelineId: update.pipeline_id,
        price: update.price,
        tags,
        customFields: change.customFields,
      }),
      updatedAt,
    });
    return this.leads.get(workspaceId, lead.id);
  }

  /**
   * `addTags`: the lead's current tags read from amoCRM plus the additions (undefined when none is new); when
   * amoCRM deleted the lead, its row is marked deleted and 404 answered.
   */
  private async tagsWithAdded(
    workspaceId: string,
    api: AmocrmAccountApi,
    amocrmId: number,
    additions: readonly string[],
  ): Promise<string[] | undefined> {
    const current = await api.getLead(amocrmId);
    if (!current || current.is_deleted === true) {
      await this.leads.markDeleted(workspaceId, amocrmId, new Date());
      throw new NotFoundProblem('The lead (deleted in amoCRM)');
    }
    return mergedTags(
      (current._embedded?.tags ?? []).map((tag) => tag.name),
      additions,
    );
  }
}
