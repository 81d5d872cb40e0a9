import { Injectable } from '@nestjs/common';
import { LptrackerClient } from '../../lptracker/client/lptracker-client';
import { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import { readLeadRecord, type LptrackerLeadRecord } from '../../lptracker/client/lptracker-lead-read';
import { listOf } from '../../lptracker/client/lptracker-read';
import type { LimiterLane } from '../../redis/rate-limiter';
import { KeyedLockService } from '../keyed-lock.service';
import { LptrackerEchoGuardService } from './lptracker-echo-guard.service';
import {
  catalogProblems,
  identityLockKeys,
  newLeadBody,
  reusableLead,
  type LptrackerLeadInput,
} from './lptracker-lead-write.plan';

export interface LptrackerLeadWriteOptions {
  /** The limiter lane of the LPTracker calls (imports: `import`, so live work goes first). */
  lane: LimiterLane;
  /**
   * Record the create in the echo guard, so its callback is not taken for news: only for a lead made from an
   * amoCRM-side record. An imported lead has no amoCRM lead, so its callback must flow to amoCRM (false).
   */
  recordEcho: boolean;
}

/** The project a lead goes to, or why it cannot go (in Russian, for reports). */
export type LptrackerTarget = { ok: true; projectId: number } | { ok: false; message: string };

/** A field of an LPTracker project a lead's value may go to (`lead.custom.<id>`, `contact.field.<id>`). */
export interface LptrackerTargetField {
  field: string;
  name: string;
}

/** An enabled LPTracker project as a target of leads: its lead custom fields and contact fields. */
export interface LptrackerTargetProject {
  id: number;
  name: string;
  fields: LptrackerTargetField[];
}

export interface LptrackerLeadWriteResult {
  lead: LptrackerLeadRecord;
  contactId: number | null;
  created: boolean;
}

/** What findOrCreate would find: the project's contact of the phone / e-mail and a lead of it it would reuse. */
export interface LptrackerLeadPreview {
  contactId: number | null;
  reused: LptrackerLeadRecord | null;
}

/**
 * Finds or creates one lead in an LPTracker project: under the identity locks of its phone and e-mail (so concurrent
 * rows with one phone make one lead), the contact is looked up with `GET /contact/search`; a lead of that contact
 * with the same name is reused, else `POST /lead` (always `callback: false`: LptrackerAccountApi.createLead) is sent
 * with the existing contact's id or a new contact. Every call goes through LptrackerClient and its shared limiter.
 * The caller has checked the input against the project's catalog (targetOf).
 */
@Injectable()
export class LptrackerLeadWriteService {
  constructor(
    private readonly client: LptrackerClient,
    private readonly locks: KeyedLockService,
    private readonly echo: LptrackerEchoGuardService,
    private readonly metadata: LptrackerMetadataService,
  ) {}

  /** The enabled projects (cached metadata) with the custom fields of their leads and the fields of their contacts. */
  async projects(workspaceId: string): Promise<LptrackerTargetProject[]> {
    const projects = await this.metadata.getMetadata(workspaceId);
    return projects.map(({ project, customs, contactFields }) => ({
      id: project.id,
      name: project.name,
      fields: [
        ...customs.map((field) => ({ field: `lead.custom.${field.id}`, name: field.name })),
        ...contactFields.map((field) => ({ field: `contact.field.${field.id}`, name: field.name })),
      ],
    }));
  }

  /**
   * The project `projectId` (or, when null, the workspace's one enabled project) when it is enabled and `input` fits
   * its catalog (custom and contact fields, stage, owner); else why not. With several enabled projects and no
   * `projectId` there is no way to tell which one is meant: refused.
   */
  async targetOf(
    workspaceId: string,
    input: LptrackerLeadInput,
    projectId: number | null = null,
  ): Promise<LptrackerTarget> {
    const projects = await this.metadata.getMetadata(workspaceId);
    if (projects.length === 0)
      return { ok: false, message: 'LPTracker не подключён или в нём не выбран проект' };
    const chosen = projectId === null ? null : projects.find((project) => project.project.id === projectId);
    if (chosen === undefined) return { ok: false, message: `Проект LPTracker № ${projectId} не подключён` };
    if (chosen === null && projects.length > 1)
      return { ok: false, message: 'В LPTracker выбрано несколько проектов: укажите проект загрузки' };
    const project = chosen ?? projects[0];
    const problems = catalogProblems(input, project);
    if (problems.length > 0)
      return {
        ok: false,
        message: `LPTracker не знает: ${problems.map((problem) => problem.field).join(', ')}`,
      };
    return { ok: true, projectId: project.project.id };
  }

  /**
   * What findOrCreate would do, by the same lookup (contact search, then that contact's leads), writing nothing: the
   * existing contact (null: a new one would be made) and the lead that would be reused (null: one would be created).
   */
  async preview(
    workspaceId: string,
    projectId: number,
    input: LptrackerLeadInput,
    lane: LimiterLane,
  ): Promise<LptrackerLeadPreview> {
    return lookup(this.client.forWorkspace(workspaceId, lane), projectId, input);
  }

  async findOrCreate(
    workspaceId: string,
    projectId: number,
    input: LptrackerLeadInput,
    options: LptrackerLeadWriteOptions,
  ): Promise<LptrackerLeadWriteResult> {
    const api = this.client.forWorkspace(workspaceId, options.lane);
    const keys = identityLockKeys(workspaceId, projectId, input);
    return this.locks.withLocks(keys, async (held) => {
      const { contactId, reused } = await lookup(api, projectId, input);
      if (reused) return { lead: reused, contactId, created: false };
      held.assertHeld();
      const lead = await api.createLead(newLeadBody(projectId, input, contactId));
      if (options.recordEcho)
        await this.echo.recordWrite(workspaceId, lead.id, {
          name: lead.name,
          ...(input.stageId !== null ? { stageId: input.stageId } : {}),
          ...(input.ownerId !== null ? { ownerId: input.ownerId } : {}),
          ...(Object.keys(input.custom).length > 0 ? { custom: input.custom } : {}),
        });
      return { lead, contactId: lead.contactId ?? contactId, created: true };
    });
  }
}

type LptrackerApi = ReturnType<LptrackerClient['forWorkspace']>;

/** The contact of the phone / e-mail in the project (GET /contact/search) and a lead of it to reuse (same name). */
async function lookup(
  api: LptrackerApi,
  projectId: number,
  input: LptrackerLeadInput,
): Promise<LptrackerLeadPreview> {
  const contacts =
    input.phone || input.email
      ? await api.searchContact(projectId, {
          ...(input.phone ? { phone: input.phone } : {}),
          ...(input.email ? { email: input.email } : {}),
        })
      : [];
  const contact = contacts.find((found) => found.projectId === null || found.projectId === projectId) ?? null;
  if (!contact) return { contactId: null, reused: null };
  const leads = listOf(await api.request({ method: 'GET', path: `/contact/${contact.id}/leads` }))
    .map((raw) => readLeadRecord(raw))
    .filter((lead): lead is LptrackerLeadRecord => lead !== null);
  return { contactId: contact.id, reused: reusableLead(leads, input) ?? null };
}
