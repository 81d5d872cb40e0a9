import type { AmoAccount } from './account';
import { ChangeLog } from './change-log';
import type { ContactJson, LeadJson } from './entity-records';
import { httpProblem } from './problems';

/**
 * Changes "a manager makes in the amoCRM interface": the same writes as the API, attributed to a
 * manager (not the integration's user), and sent out as webhooks like any other change.
 */
export class ManagerSimulator {
  constructor(private readonly account: AmoAccount) {}

  createContact(input: Record<string, unknown>, userId?: number): ContactJson {
    return this.run(userId, (actor, changes) => {
      const [result] = this.account.contacts.create([input], actor, changes);
      return this.account.contacts.render(result.record, true);
    });
  }

  updateContact(id: number, patch: Record<string, unknown>, userId?: number): ContactJson {
    return this.run(userId, (actor, changes) => {
      const [result] = this.account.contacts.update(patch, actor, changes, id);
      return this.account.contacts.render(result.record, true);
    });
  }

  createLead(input: Record<string, unknown>, userId?: number): LeadJson {
    return this.run(userId, (actor, changes) => {
      const [result] = this.account.leads.create([input], actor, changes);
      return this.account.leads.render(result.record, true);
    });
  }

  updateLead(id: number, patch: Record<string, unknown>, userId?: number): LeadJson {
    return this.run(userId, (actor, changes) => {
      const [result] = this.account.leads.update(patch, actor, changes, id);
      return this.account.leads.render(result.record, true);
    });
  }

  /** Drags the lead to another stage (or pipeline). */
  changeLeadStatus(id: number, statusId: number, pipelineId?: number, userId?: number): LeadJson {
    return this.updateLead(
      id,
      { status_id: statusId, ...(pipelineId === undefined ? {} : { pipeline_id: pipelineId }) },
      userId,
    );
  }

  /** Accepts an incoming lead («Неразобранное»): the same lead moves to `statusId` or the first working stage. */
  acceptUnsorted(uid: string, statusId?: number, userId?: number): LeadJson {
    return this.run(userId, (actor, changes) => {
      const record = this.account.unsorted.accept(uid, { status_id: statusId }, actor, changes);
      return this.account.leads.render(this.account.leads.get(record.leadId)!, true);
    });
  }

  changeLeadResponsible(id: number, responsibleUserId: number, userId?: number): LeadJson {
    return this.updateLead(id, { responsible_user_id: responsibleUserId }, userId);
  }

  changeContactResponsible(id: number, responsibleUserId: number, userId?: number): ContactJson {
    return this.updateContact(id, { responsible_user_id: responsibleUserId }, userId);
  }

  deleteLead(id: number, userId?: number): void {
    this.run(userId, (actor, changes) => this.account.leads.delete(id, actor, changes));
  }

  restoreLead(id: number, userId?: number): LeadJson {
    return this.run(userId, (actor, changes) =>
      this.account.leads.render(this.account.leads.restore(id, actor, changes), true),
    );
  }

  deleteContact(id: number, userId?: number): void {
    this.run(userId, (actor, changes) => this.account.contacts.delete(id, actor, changes));
  }

  restoreContact(id: number, userId?: number): ContactJson {
    return this.run(userId, (actor, changes) =>
      this.account.contacts.render(this.account.contacts.restore(id, actor, changes), true),
    );
  }

  private run<T>(userId: number | undefined, action: (actorUserId: number, changes: ChangeLog) => T): T {
    const actor = userId ?? this.account.data.managerUserId;
    if (!this.account.data.user(actor)) throw httpProblem(400, `User ${actor} not found in this account`);
    const changes = new ChangeLog();
    const result = action(actor, changes);
    this.account.publish(changes);
    return result;
  }
}
