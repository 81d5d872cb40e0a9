import type { ContactEntity } from '../../contacts/contact.entity';
import type { LeadEntity } from '../../leads/lead.entity';
import { ValidationProblem } from '../../http/problem';
import type { CellValue } from './cell-safety';
import type { InboxEventsService } from '../../inbox/inbox-events.service';

/** A row of the events list (what InboxEventsService.exportPage reads). */
export type EventListRow = Awaited<ReturnType<InboxEventsService['exportPage']>>[number];

/** A column of an export: its key for `columns=`, its Russian header, its value. */
export interface ExportColumn<T> {
  key: string;
  header: string;
  value: (row: T) => CellValue;
}

const list = (values: readonly string[] | null | undefined): string => (values ?? []).join(', ');

export const CONTACT_EXPORT_COLUMNS: readonly ExportColumn<ContactEntity>[] = [
  { key: 'id', header: 'ID', value: (c) => c.id },
  { key: 'amocrmId', header: 'ID в amoCRM', value: (c) => c.amocrmId },
  { key: 'name', header: 'Имя', value: (c) => c.name },
  { key: 'phone', header: 'Телефон', value: (c) => c.phone },
  { key: 'email', header: 'E-mail', value: (c) => c.email },
  { key: 'phones', header: 'Все телефоны', value: (c) => list(c.phones) },
  { key: 'emails', header: 'Все e-mail', value: (c) => list(c.emails) },
  { key: 'responsibleUserId', header: 'Ответственный (ID)', value: (c) => c.responsibleUserId },
  { key: 'source', header: 'Источник', value: (c) => c.source },
  { key: 'createdAt', header: 'Создан', value: (c) => c.createdAt },
  { key: 'updatedAt', header: 'Изменён', value: (c) => c.updatedAt },
  { key: 'syncedAt', header: 'Сверен с amoCRM', value: (c) => c.syncedAt },
];

export const LEAD_EXPORT_COLUMNS: readonly ExportColumn<LeadEntity>[] = [
  { key: 'id', header: 'ID', value: (l) => l.id },
  { key: 'amocrmId', header: 'ID в amoCRM', value: (l) => l.amocrmId },
  { key: 'name', header: 'Название', value: (l) => l.name },
  { key: 'status', header: 'Этап', value: (l) => l.status },
  { key: 'statusId', header: 'Этап (ID)', value: (l) => l.statusId },
  { key: 'pipelineId', header: 'Воронка (ID)', value: (l) => l.pipelineId },
  { key: 'price', header: 'Бюджет', value: (l) => l.price },
  { key: 'contactId', header: 'Контакт (ID)', value: (l) => l.contactId },
  { key: 'responsibleUserId', header: 'Ответственный (ID)', value: (l) => l.responsibleUserId },
  { key: 'tags', header: 'Теги', value: (l) => list(l.tags) },
  { key: 'source', header: 'Источник', value: (l) => l.source },
  { key: 'createdAt', header: 'Создана', value: (l) => l.createdAt },
  { key: 'updatedAt', header: 'Изменена', value: (l) => l.updatedAt },
  { key: 'closedAt', header: 'Закрыта', value: (l) => l.closedAt },
];

export const EVENT_EXPORT_COLUMNS: readonly ExportColumn<EventListRow>[] = [
  { key: 'id', header: 'ID', value: (e) => e.id },
  { key: 'source', header: 'Источник', value: (e) => e.source },
  { key: 'eventType', header: 'Тип', value: (e) => e.eventType },
  { key: 'status', header: 'Статус', value: (e) => e.status },
  { key: 'skipReason', header: 'Причина пропуска', value: (e) => e.skipReason },
  { key: 'attempts', header: 'Попытки', value: (e) => e.attempts },
  { key: 'lastError', header: 'Ошибка', value: (e) => e.lastError },
  { key: 'createdAt', header: 'Получено', value: (e) => e.createdAt },
  { key: 'processedAt', header: 'Обработано', value: (e) => e.processedAt },
  { key: 'summary', header: 'Кратко', value: (e) => JSON.stringify(e.summary ?? null).slice(0, 2000) },
];

/** The columns `columns=` names (comma-separated keys, in that order), or all; unknown keys are a 400. */
export function chooseColumns<T>(
  all: readonly ExportColumn<T>[],
  requested: string | undefined,
): ExportColumn<T>[] {
  if (requested === undefined || requested.trim() === '') return [...all];
  const keys = requested
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const chosen: ExportColumn<T>[] = [];
  for (const key of keys) {
    const column = all.find((candidate) => candidate.key === key);
    if (!column)
      throw new ValidationProblem([
        {
          field: 'columns',
          code: 'unknownColumn',
          message: `columns: "${key.slice(0, 64)}" is not a column (one of ${all.map((c) => c.key).join(', ')})`,
        },
      ]);
    if (!chosen.includes(column)) chosen.push(column);
  }
  return chosen;
}
