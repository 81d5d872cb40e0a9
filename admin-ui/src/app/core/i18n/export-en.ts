import type { exportRu } from './export-ru';

/** English strings of the list export button (`exportFile.*`), merged into `en.ts`. */
export const exportEn: typeof exportRu = {
  button: 'Export',
  busy: 'Preparing the file…',
  xlsx: 'Excel (.xlsx)',
  csv: 'CSV (.csv)',
  failed: 'Could not export the file. {reason}',
  badFilter: 'The server did not accept the filter ({fields}). Change it and try again.',
};
