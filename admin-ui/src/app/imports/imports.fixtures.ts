import type { ImportDetails, ImportProgress, ImportSummary } from './imports.models';

export const IMPORT_ID = '0190b000-0000-7000-8000-000000000001';

export const summary = (overrides: Partial<ImportSummary> = {}): ImportSummary => ({
  id: IMPORT_ID,
  status: 'done',
  fileName: 'лиды.csv',
  size: 120,
  format: 'csv',
  uploadedBy: 'manager@example.com',
  uploadedAt: '2026-12-07T10:00:00.000Z',
  kind: 'contacts',
  dryRun: false,
  totalRows: 3,
  created: 2,
  updated: 0,
  skipped: 0,
  failed: 1,
  startedAt: '2026-12-07T10:01:00.000Z',
  ...overrides,
});

export const details = (overrides: Partial<ImportDetails> = {}): ImportDetails => ({
  ...summary({ status: 'uploaded' }),
  sheets: ['Лист1', 'Звонки'],
  sheet: 'Лист1',
  headerRow: 0,
  columns: [
    { index: 0, letter: 'A', name: 'Имя' },
    { index: 1, letter: 'B', name: 'Телефон' },
    { index: 2, letter: 'C', name: 'Заметка' },
  ],
  sampleRows: [
    ['Анна', '+79161234567', 'первая'],
    ['Борис', '+79161234568', null],
  ],
  csv: { encoding: 'utf-8', delimiter: ';' },
  mapping: null,
  suggestions: {
    contacts: { Имя: 'contact.name', Телефон: 'contact.phone' },
    leads: { Имя: 'contact.name', Телефон: 'contact.phone' },
    call_results: { Телефон: 'call.phone' },
  },
  ...overrides,
});

export const progress = (overrides: Partial<ImportProgress> = {}): ImportProgress => ({
  status: 'processing',
  dryRun: false,
  totalRows: 200,
  staged: true,
  processed: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
  startedAt: '2026-12-07T10:01:00.000Z',
  finishedAt: null,
  eta: '2026-12-07T10:05:00.000Z',
  error: null,
  ...overrides,
});

/** The text of server-sent progress events, as the stream sends them. */
export function sse(...items: ImportProgress[]): string {
  return items.map((item) => `event: progress\ndata: ${JSON.stringify(item)}\n\n`).join('');
}
