import type { alertsRu } from './alerts-ru';

/** English strings of the alerts bell (`alerts.*`), merged into `en.ts`. */
export const alertsEn: typeof alertsRu = {
  bell: 'Alerts, unread: {count}',
  empty: 'No alerts. If something breaks, it shows up here.',
  active: 'open',
  resolved: 'resolved',
};
