import { ProblemException } from '../../http/problem';
import type { RowOutcome } from './import-rows.repository';

export function outcome(
  rowNumber: number,
  status: RowOutcome['status'],
  message: string | null,
  ids: { contact?: number | null; lead?: number | null; lptrackerLead?: number | null } = {},
): RowOutcome {
  return {
    rowNumber,
    status,
    message,
    amocrmContactId: ids.contact ?? null,
    amocrmLeadId: ids.lead ?? null,
    lptrackerLeadId: ids.lptrackerLead ?? null,
  };
}

/** Why the engine refused a row, in Russian for the report (the field names stay as the API names them). */
export function reasonOf(error: unknown): string {
  if (error instanceof ProblemException) {
    const status = error.getStatus();
    const fields = (error.problem.errors ?? []).map((field) => field.field);
    if (status === 400)
      return fields.length > 0
        ? `amoCRM не принимает значения: ${[...new Set(fields)].join(', ')}`
        : 'amoCRM не принимает эти данные';
    if (status === 404) return 'Запись не найдена в amoCRM';
    if (status === 503) return 'amoCRM не подключена или недоступна; строку можно загрузить ещё раз';
  }
  return 'Не удалось записать в amoCRM; строку можно загрузить ещё раз';
}
