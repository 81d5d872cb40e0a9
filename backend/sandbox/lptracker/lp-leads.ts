import type { LpAccount } from './lp-account';
import { badRequest } from './lp-errors';
import { readCustomValue, type ContactInput, type LeadPatch, type NewLeadInput } from './lp-input';
import type { LpActor, LpCall, LpComment, LpContact, LpCustomValue, LpLead, LpProject } from './lp-records';

/** Writes to contacts and leads; every lead change is published to the project's callback URLs. */

export const MAX_LIST_LIMIT = 100;

/** Phone digits compared the Russian way: `8 916…`, `+7 916…` and `916…` are one number. */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) return `7${digits.slice(1)}`;
  if (digits.length === 10) return `7${digits}`;
  return digits;
}

export class LpLeadService {
  constructor(private readonly account: LpAccount) {}

  createContact(input: ContactInput, now = Date.now()): LpContact {
    const project = this.account.requireProject(input.projectId ?? 0);
    const contact: LpContact = {
      id: this.account.nextId('contact'),
      projectId: project.id,
      name: input.name ?? '',
      profession: input.profession ?? '',
      site: input.site ?? '',
      details: [],
      fields: new Map(),
      createdAt: now,
      updatedAt: now,
    };
    this.applyContact(contact, project, input);
    this.account.contacts.set(contact.id, contact);
    return contact;
  }

  updateContact(id: number, input: ContactInput, now = Date.now()): LpContact {
    const contact = this.account.requireContact(id);
    if (input.projectId !== undefined && input.projectId !== contact.projectId) {
      throw badRequest('A contact cannot move to another project');
    }
    this.applyContact(contact, this.account.requireProject(contact.projectId), input);
    contact.updatedAt = now;
    return contact;
  }

  private applyContact(contact: LpContact, project: LpProject, input: ContactInput): void {
    for (const id of input.fields?.keys() ?? []) {
      if (!project.fields.some((field) => field.id === id)) {
        throw badRequest(`Contact field ${id} does not exist in project ${project.id}`);
      }
    }
    if (input.name !== undefined) contact.name = input.name;
    if (input.profession !== undefined) contact.profession = input.profession;
    if (input.site !== undefined) contact.site = input.site;
    if (input.details !== undefined) {
      contact.details = input.details.map((detail) => {
        const same = contact.details.find((old) => old.type === detail.type && old.data === detail.data);
        return { id: same?.id ?? this.account.nextId('detail'), ...detail };
      });
    }
    for (const [id, value] of input.fields ?? []) {
      if (value === '') contact.fields.delete(id);
      else contact.fields.set(id, value);
    }
  }

  /** Contacts of the project with that phone (any format) or e-mail (any case). */
  searchContacts(projectId: number, phone: string | undefined, email: string | undefined): LpContact[] {
    const wantedPhone = phone === undefined ? undefined : phoneKey(phone);
    const wantedEmail = email?.trim().toLowerCase();
    return [...this.account.contacts.values()].filter(
      (contact) =>
        contact.projectId === projectId &&
        contact.details.some(
          (detail) =>
            (detail.type === 'phone' &&
              wantedPhone !== undefined &&
              wantedPhone !== '' &&
              phoneKey(detail.data) === wantedPhone) ||
            (detail.type === 'email' &&
              wantedEmail !== undefined &&
              detail.data.toLowerCase() === wantedEmail),
        ),
    );
  }

  createLead(input: NewLeadInput, actor: LpActor, login: string | null = null, now = Date.now()): LpLead {
    const existing = input.contactId === undefined ? undefined : this.account.requireContact(input.contactId);
    const project = this.account.requireProject(existing?.projectId ?? input.contact?.projectId ?? 0);
    const custom = this.check(project, input);
    const contact = existing ?? this.createContact(input.contact ?? {}, now);
    const lead: LpLead = {
      id: this.account.nextId('lead'),
      projectId: project.id,
      contactId: contact.id,
      name: '',
      stageId: project.stages[0]?.id ?? null,
      ownerId: null,
      leadDate: now,
      view: { id: this.account.nextId('view'), source: '', campaign: '', keyword: '' },
      custom: new Map(),
      payments: [],
      comments: [],
      calls: [],
      createdAt: now,
      updatedAt: now,
    };
    this.apply(lead, input, custom);
    if (lead.name === '') lead.name = contact.name || `Лид ${lead.id}`;
    this.account.leads.set(lead.id, lead);
    if (input.callback) this.placeCall(lead, contact, actor, login, now);
    this.account.publish({ lead, contact, project, action: 'create', updatedFields: [], actor, at: now });
    return lead;
  }

  /** Applies the patch; answers the names of what changed (nothing published when nothing did). */
  updateLead(
    id: number,
    patch: LeadPatch,
    actor: LpActor,
    now = Date.now(),
  ): { lead: LpLead; changed: string[] } {
    const lead = this.account.requireLead(id);
    const project = this.account.requireProject(lead.projectId);
    const changed = this.apply(lead, patch, this.check(project, patch));
    if (changed.length > 0) {
      lead.updatedAt = now;
      const contact = this.account.requireContact(lead.contactId);
      this.account.publish({
        lead,
        contact,
        project,
        action: 'update',
        updatedFields: changed,
        actor,
        at: now,
      });
    }
    return { lead, changed };
  }

  deleteLead(id: number, actor: LpActor, now = Date.now()): void {
    const lead = this.account.requireLead(id);
    const project = this.account.requireProject(lead.projectId);
    const contact = this.account.requireContact(lead.contactId);
    this.account.leads.delete(id);
    this.account.publish({ lead, contact, project, action: 'delete', updatedFields: [], actor, at: now });
  }

  addComment(id: number, text: string, actor: LpActor, now = Date.now()): LpComment {
    const lead = this.account.requireLead(id);
    if (text.trim() === '') throw badRequest('text is required');
    const comment: LpComment = {
      id: this.account.nextId('comment'),
      text,
      authorId: actor.staffId,
      createdAt: now,
    };
    lead.comments.push(comment);
    return comment;
  }

  addCall(id: number, call: Omit<LpCall, 'id'>): LpCall {
    const lead = this.account.requireLead(id);
    const record: LpCall = { id: this.account.nextId('call'), ...call };
    lead.calls.push(record);
    return record;
  }

  /**
   * A call that ended (made or taken by a manager): added to the lead's calls and published as an update of the
   * lead with `action_update_fields: ["calls"]` (its `calls_records` carry every call of the lead so far).
   */
  finishCall(id: number, call: Omit<LpCall, 'id'>, actor: LpActor, now = Date.now()): LpCall {
    const record = this.addCall(id, call);
    const lead = this.account.requireLead(id);
    lead.updatedAt = now;
    const project = this.account.requireProject(lead.projectId);
    const contact = this.account.requireContact(lead.contactId);
    this.account.publish({
      lead,
      contact,
      project,
      action: 'update',
      updatedFields: ['calls'],
      actor,
      at: now,
    });
    return record;
  }

  /** Leads of a project by id, optionally updated at or after `updatedFrom` (unix seconds). */
  listLeads(projectId: number, offset: number, limit: number, updatedFrom: number | undefined): LpLead[] {
    this.account.requireProject(projectId);
    return [...this.account.leads.values()]
      .filter((lead) => lead.projectId === projectId)
      .filter((lead) => updatedFrom === undefined || lead.updatedAt >= updatedFrom * 1000)
      .sort((a, b) => a.id - b.id)
      .slice(offset, offset + Math.min(limit, MAX_LIST_LIMIT));
  }

  private placeCall(
    lead: LpLead,
    contact: LpContact,
    actor: LpActor,
    login: string | null,
    now: number,
  ): void {
    const phone = contact.details.find((detail) => detail.type === 'phone')?.data ?? null;
    this.account.callbackCalls.push({
      leadId: lead.id,
      projectId: lead.projectId,
      contactId: contact.id,
      phone,
      login,
      service: actor.service,
      at: now,
    });
    const call = { time: Math.floor(now / 1000), duration: 0, type: 'callback' as const };
    this.addCall(lead.id, { ...call, disposition: 'CALLING', record: null, ownerId: lead.ownerId });
  }

  /** Checks stage, owner and custom values against the project; answers the custom values to write. */
  private check(project: LpProject, patch: LeadPatch): Map<number, LpCustomValue | null> {
    const { stageId, ownerId } = patch;
    if (stageId !== undefined && !project.stages.some((stage) => stage.id === stageId)) {
      throw badRequest(`funnel ${stageId} is not a stage of project ${project.id}`);
    }
    if (
      ownerId !== undefined &&
      ownerId !== null &&
      !this.account.staff.some((member) => member.id === ownerId)
    ) {
      throw badRequest(`owner ${ownerId} is not a staff member`);
    }
    const custom = new Map<number, LpCustomValue | null>();
    for (const [id, raw] of patch.custom ?? [])
      custom.set(id, readCustomValue(project, this.account.staff, id, raw));
    return custom;
  }

  /** Writes a checked patch; answers the `action_update_fields` names of what changed. */
  private apply(lead: LpLead, patch: LeadPatch, custom: Map<number, LpCustomValue | null>): string[] {
    const { stageId, ownerId } = patch;
    const changed: string[] = [];
    if (patch.name !== undefined && patch.name !== lead.name) {
      lead.name = patch.name;
      changed.push('name');
    }
    if (stageId !== undefined && stageId !== lead.stageId) {
      lead.stageId = stageId;
      changed.push('stage', 'stage_id');
    }
    if (ownerId !== undefined && ownerId !== lead.ownerId) {
      lead.ownerId = ownerId;
      changed.push('owner', 'owner_id');
    }
    if (patch.leadDate !== undefined && patch.leadDate !== lead.leadDate) {
      lead.leadDate = patch.leadDate;
      changed.push('lead_date');
    }
    if (patch.view !== undefined) {
      const view = { ...lead.view, ...definedOnly(patch.view) };
      if (JSON.stringify(view) !== JSON.stringify(lead.view)) changed.push('view');
      lead.view = view;
    }
    for (const [id, value] of custom) {
      const before = lead.custom.get(id);
      if (JSON.stringify(before) === JSON.stringify(value ?? undefined)) continue;
      if (value === null) lead.custom.delete(id);
      else lead.custom.set(id, value);
      changed.push(`custom.${id}`);
    }
    if (patch.payments !== undefined && JSON.stringify(patch.payments) !== JSON.stringify(lead.payments)) {
      lead.payments = patch.payments;
      changed.push('payments');
    }
    return changed;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
