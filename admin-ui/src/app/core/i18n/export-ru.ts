/** Russian strings of the list export button (`exportFile.*`), merged into `ru.ts`. */
export const exportRu = {
  button: 'Выгрузить',
  busy: 'Готовим файл…',
  xlsx: 'Excel (.xlsx)',
  csv: 'CSV (.csv)',
  failed: 'Не удалось выгрузить файл. {reason}',
  badFilter: 'Сервер не принял фильтр ({fields}). Измените его и попробуйте ещё раз.',
};
