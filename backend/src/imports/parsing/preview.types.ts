import type { CsvDelimiter, CsvEncoding } from './csv-reader';
import type { ImportColumn, SheetCell } from './header-row';

export const IMPORT_FORMATS = ['xlsx', 'xls', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface PreviewRequest {
  path: string;
  format: ImportFormat;
  /** The sheet to show; the first one when absent. */
  sheet?: string;
}

export interface FilePreview {
  sheets: string[];
  sheet: string;
  /** 0-based row of the header in the sheet. */
  headerRow: number;
  columns: ImportColumn[];
  sampleRows: SheetCell[][];
  /** CSV only: what was detected. */
  csv: { encoding: CsvEncoding; delimiter: CsvDelimiter } | null;
  /** Cells cut to the length cap in the rows read. */
  truncatedCells: number;
}

/** Why a file cannot be previewed; `message` is shown to the uploader. */
export interface PreviewRefusal {
  reason: 'zip_bomb' | 'unreadable' | 'wrong_type' | 'no_such_sheet' | 'empty';
  message: string;
}

export type PreviewOutcome = { ok: true; preview: FilePreview } | { ok: false; refusal: PreviewRefusal };
