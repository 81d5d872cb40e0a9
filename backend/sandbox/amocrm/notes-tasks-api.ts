import type { AccountData } from './account-data';
import { idParam, sendEntityPage, writeResultItem, type ApiContext, type ApiRoutes } from './api-context';
import { parseIdSet } from './list-query';
import { queryObject, queryText } from './nested-query';
import { NOTE_ENTITIES, type NoteEntity, type NoteRecord, type TaskRecord } from './notes-tasks-service';
import { httpProblem } from './problems';

/** `/api/v4/{leads|contacts|companies}/notes`, `/api/v4/{entity}/{id}/notes`, `/api/v4/tasks`. */
export function registerNotesTasksRoutes(routes: ApiRoutes): void {
  for (const entity of NOTE_ENTITIES) {
    routes
      .add('POST', `/api/v4/${entity}/notes`, (context) => sendNotes(context, entity))
      .add('POST', `/api/v4/${entity}/#id/notes`, (context) => sendNotes(context, entity, idParam(context)))
      .add('GET', `/api/v4/${entity}/#id/notes`, (context) => {
        const data = context.account.data;
        const id = idParam(context);
        const exists =
          entity === 'leads'
            ? data.liveLead(id)
            : entity === 'contacts'
              ? data.liveContact(id)
              : data.liveCompany(id);
        if (!exists) throw httpProblem(404, 'Entity not found');
        const notes = context.account.notesTasks.notesOf(entity, id);
        sendEntityPage(context, `/api/v4/${entity}/${id}/notes`, 'notes', notes, (note) =>
          renderNote(data, note),
        );
      });
  }
  routes
    .add('POST', '/api/v4/tasks', (context) => {
      const { account } = context;
      const results = account.notesTasks.addTasks(context.body, context.actorUserId);
      const base = account.data.baseUrl;
      context.exchange.sendJson(200, {
        _links: { self: { href: `${base}/api/v4/tasks` } },
        _embedded: {
          tasks: results.map((result) =>
            writeResultItem(base, '/api/v4/tasks', result.record.id, { request_id: result.requestId }),
          ),
        },
      });
    })
    .add('GET', '/api/v4/tasks', (context) => {
      const filter = queryObject(context.query.filter) ?? {};
      const completed = queryText(filter.is_completed);
      const tasks = context.account.notesTasks.findTasks({
        entityType: queryText(filter.entity_type),
        entityIds: parseIdSet(filter.entity_id),
        isCompleted: completed === undefined ? undefined : completed === '1' || completed === 'true',
      });
      const data = context.account.data;
      sendEntityPage(context, '/api/v4/tasks', 'tasks', tasks, (task) => renderTask(data, task));
    });
}

function sendNotes(context: ApiContext, entity: NoteEntity, entityId?: number): void {
  const { account } = context;
  const results = account.notesTasks.addNotes(entity, context.body, context.actorUserId, entityId);
  const base = account.data.baseUrl;
  const path = `/api/v4/${entity}/notes`;
  context.exchange.sendJson(200, {
    _links: {
      self: { href: `${base}${entityId === undefined ? path : `/api/v4/${entity}/${entityId}/notes`}` },
    },
    _embedded: {
      notes: results.map((result) =>
        writeResultItem(base, `/api/v4/${entity}/${result.record.entityId}/notes`, result.record.id, {
          entity_id: result.record.entityId,
          request_id: result.requestId,
        }),
      ),
    },
  });
}

function renderNote(data: AccountData, note: NoteRecord): Record<string, unknown> {
  return {
    id: note.id,
    entity_id: note.entityId,
    created_by: note.createdBy,
    updated_by: note.createdBy,
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    responsible_user_id: note.responsibleUserId,
    group_id: 0,
    note_type: note.noteType,
    params: note.params,
    account_id: data.id,
    _links: { self: { href: `${data.baseUrl}/api/v4/${note.entityType}/${note.entityId}/notes/${note.id}` } },
  };
}

function renderTask(data: AccountData, task: TaskRecord): Record<string, unknown> {
  return {
    id: task.id,
    created_by: task.createdBy,
    updated_by: task.createdBy,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    responsible_user_id: task.responsibleUserId,
    group_id: 0,
    entity_id: task.entityId,
    entity_type: task.entityType,
    duration: 0,
    is_completed: task.isCompleted,
    task_type_id: task.taskTypeId,
    text: task.text,
    result: [],
    complete_till: task.completeTill,
    account_id: data.id,
    _links: { self: { href: `${data.baseUrl}/api/v4/tasks/${task.id}` } },
  };
}
