/**
 * The entity changes one write operation made, in order. After the operation answers, the account
 * turns them into outgoing webhooks.
 */

export type ChangedEntity = 'leads' | 'contacts';

export type ChangeAction = 'add' | 'update' | 'status' | 'responsible' | 'delete' | 'restore';

export interface EntityChange {
  entity: ChangedEntity;
  action: ChangeAction;
  id: number;
  oldStatusId?: number;
  oldPipelineId?: number;
  oldResponsibleUserId?: number;
}

export class ChangeLog {
  readonly changes: EntityChange[] = [];

  record(change: EntityChange): void {
    const seen = this.changes.some(
      (existing) =>
        existing.entity === change.entity && existing.action === change.action && existing.id === change.id,
    );
    if (!seen) this.changes.push(change);
  }

  get isEmpty(): boolean {
    return this.changes.length === 0;
  }
}
