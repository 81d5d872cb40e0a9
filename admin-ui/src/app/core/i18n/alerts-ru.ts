/** Russian strings of the alerts bell (`alerts.*`), merged into `ru.ts`. */
export const alertsRu = {
  bell: 'Уведомления, непрочитанных: {count}',
  empty: 'Уведомлений нет. Если что-то сломается, мы напишем сюда.',
  active: 'не решено',
  resolved: 'решено',
};
