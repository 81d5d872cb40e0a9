import type { AccountData } from './account-data';
import { readBatch, requestIdOf } from './entity-writes';
import { asInteger, asString, isRecord } from './json-input';
import { BatchValidation, type EntityIssues } from './problems';
import { nowSeconds } from './sandbox-runtime';

/** Notes and tasks of one account (what rules write): `POST/GET /api/v4/leads/notes`, `/api/v4/tasks`. */

export type NoteEntity = 'leads' | 'contacts' | 'companies';
export const NOTE_ENTITIES: readonly NoteEntity[] = ['leads', 'contacts', 'companies'];
const NOTE_TYPES = ['common', 'call_in', 'call_out', 'service_message'] as const;
const MAX_TEXT_LENGTH = 65_535;

export interface NoteRecord {
  id: number;
  entityType: NoteEntity;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
  responsibleUserId: number;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface TaskRecord {
  id: number;
  text: string;
  completeTill: number;
  entityType: NoteEntity | null;
  entityId: number | null;
  responsibleUserId: number;
  taskTypeId: number;
  isCompleted: boolean;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface WriteResult<T> {
  record: T;
  requestId: string;
}

export class NotesTasksService {
  readonly notes = new Map<number, NoteRecord>();
  readonly tasks = new Map<number, TaskRecord>();

  constructor(private readonly data: AccountData) {}

  /** Adds notes to `entity`; `pathEntityId` is the id of `/api/v4/leads/{id}/notes` (then `entity_id` may be left out). */
  addNotes(
    entity: NoteEntity,
    body: unknown,
    actorUserId: number,
    pathEntityId?: number,
  ): WriteResult<NoteRecord>[] {
    const batch = new BatchValidation();
    const prepared = readBatch(body).map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      const issues = batch.entity(requestId);
      if (!isRecord(raw)) {
        issues.add('InvalidType', '', 'note must be an object');
        return undefined;
      }
      const entityId = pathEntityId ?? asInteger(raw.entity_id);
      if (entityId === undefined) issues.add('NotBlank', 'entity_id', 'entity_id must be an integer');
      else if (!this.entityExists(entity, entityId))
        issues.add('NotFound', 'entity_id', `entity ${entityId} not found`);
      const noteType = asString(raw.note_type);
      if (noteType === undefined || !NOTE_TYPES.some((known) => known === noteType))
        issues.add('NotSupportedChoice', 'note_type', `note_type must be one of ${NOTE_TYPES.join(', ')}`);
      const params = isRecord(raw.params) ? raw.params : undefined;
      const text = params === undefined ? undefined : asString(params.text);
      if (text === undefined || text.trim() === '')
        issues.add('NotBlank', 'params.text', 'params.text must be a non-empty string');
      else if (text.length > MAX_TEXT_LENGTH)
        issues.add('InvalidLength', 'params.text', `params.text is longer than ${MAX_TEXT_LENGTH}`);
      const responsible = this.responsibleOf(raw.responsible_user_id, actorUserId, issues);
      if (entityId === undefined || noteType === undefined || params === undefined) return undefined;
      return { requestId, entityId, noteType, params: { ...params, text }, responsible };
    });
    batch.throwIfInvalid();
    const now = nowSeconds();
    return prepared.flatMap((item) => {
      if (!item) return [];
      const record: NoteRecord = {
        id: this.data.nextId('note'),
        entityType: entity,
        entityId: item.entityId,
        noteType: item.noteType,
        params: item.params,
        responsibleUserId: item.responsible ?? actorUserId,
        createdBy: actorUserId,
        createdAt: now,
        updatedAt: now,
      };
      this.notes.set(record.id, record);
      return [{ record, requestId: item.requestId }];
    });
  }

  notesOf(entity: NoteEntity, entityId: number): NoteRecord[] {
    return [...this.notes.values()].filter(
      (note) => note.entityType === entity && note.entityId === entityId,
    );
  }

  addTasks(body: unknown, actorUserId: number): WriteResult<TaskRecord>[] {
    const batch = new BatchValidation();
    const prepared = readBatch(body).map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      const issues = batch.entity(requestId);
      if (!isRecord(raw)) {
        issues.add('InvalidType', '', 'task must be an object');
        return undefined;
      }
      const text = asString(raw.text);
      if (text === undefined || text.trim() === '')
        issues.add('NotBlank', 'text', 'text must be a non-empty string');
      else if (text.length > MAX_TEXT_LENGTH)
        issues.add('InvalidLength', 'text', `text is longer than ${MAX_TEXT_LENGTH}`);
      const completeTill = asInteger(raw.complete_till);
      if (completeTill === undefined || completeTill < 0)
        issues.add('NotBlank', 'complete_till', 'complete_till must be a unix time in seconds');
      const target = this.taskTarget(raw.entity_type, raw.entity_id, issues);
      const responsible = this.responsibleOf(raw.responsible_user_id, actorUserId, issues);
      const taskTypeId = raw.task_type_id === undefined ? 1 : asInteger(raw.task_type_id);
      if (taskTypeId === undefined || taskTypeId < 1)
        issues.add('InvalidType', 'task_type_id', 'task_type_id must be a positive integer');
      if (text === undefined || completeTill === undefined || taskTypeId === undefined) return undefined;
      return { requestId, text, completeTill, target, responsible, taskTypeId };
    });
    batch.throwIfInvalid();
    const now = nowSeconds();
    return prepared.flatMap((item) => {
      if (!item) return [];
      const record: TaskRecord = {
        id: this.data.nextId('task'),
        text: item.text,
        completeTill: item.completeTill,
        entityType: item.target?.entityType ?? null,
        entityId: item.target?.entityId ?? null,
        responsibleUserId: item.responsible ?? actorUserId,
        taskTypeId: item.taskTypeId,
        isCompleted: false,
        createdBy: actorUserId,
        createdAt: now,
        updatedAt: now,
      };
      this.tasks.set(record.id, record);
      return [{ record, requestId: item.requestId }];
    });
  }

  /** Tasks, optionally only those of one entity type and/or ids, oldest first. */
  findTasks(filter: { entityType?: string; entityIds?: Set<number>; isCompleted?: boolean }): TaskRecord[] {
    return [...this.tasks.values()].filter(
      (task) =>
        (filter.entityType === undefined || task.entityType === filter.entityType) &&
        (filter.entityIds === undefined || (task.entityId !== null && filter.entityIds.has(task.entityId))) &&
        (filter.isCompleted === undefined || task.isCompleted === filter.isCompleted),
    );
  }

  private entityExists(entity: NoteEntity, id: number): boolean {
    if (entity === 'leads') return this.data.liveLead(id) !== undefined;
    if (entity === 'contacts') return this.data.liveContact(id) !== undefined;
    return this.data.liveCompany(id) !== undefined;
  }

  /** An unknown user is refused as amoCRM does (400 with validation-errors). */
  private responsibleOf(value: unknown, actorUserId: number, issues: EntityIssues): number | undefined {
    if (value === undefined || value === null) return actorUserId;
    const id = asInteger(value);
    if (id === undefined || this.data.user(id) === undefined) {
      issues.add(
        'NotSupportedChoice',
        'responsible_user_id',
        'responsible_user_id is not a user of the account',
      );
      return undefined;
    }
    return id;
  }

  private taskTarget(
    type: unknown,
    id: unknown,
    issues: EntityIssues,
  ): { entityType: NoteEntity; entityId: number } | undefined {
    if (type === undefined && id === undefined) return undefined;
    const entityType = NOTE_ENTITIES.find((known) => known === type);
    const entityId = asInteger(id);
    if (entityType === undefined)
      issues.add(
        'NotSupportedChoice',
        'entity_type',
        `entity_type must be one of ${NOTE_ENTITIES.join(', ')}`,
      );
    if (entityId === undefined) issues.add('NotBlank', 'entity_id', 'entity_id must be an integer');
    if (entityType === undefined || entityId === undefined) return undefined;
    if (!this.entityExists(entityType, entityId)) {
      issues.add('NotFound', 'entity_id', `entity ${entityId} not found`);
      return undefined;
    }
    return { entityType, entityId };
  }
}
