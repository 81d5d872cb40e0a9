import type { CsvDelimiter, CsvEncoding } from '../parsing/csv-reader';
import type { SheetCell } from '../parsing/header-row';
import type { ImportFormat } from '../parsing/preview.types';

/** What the row-reading worker thread reads: the stored file copied to `path`, as its preview described it. */
export interface RowReadRequest {
  path: string;
  format: ImportFormat;
  sheet: string;
  /** 0-based row of the header; data rows follow it. */
  headerRow: number;
  /** Positions of the columns in a row, in the import's column order. */
  columnIndexes: number[];
  csv: { encoding: CsvEncoding; delimiter: CsvDelimiter } | null;
}

/** A data row: its number as a spreadsheet shows it (1-based) and its cells in the import's column order. */
export interface ReadRow {
  rowNumber: number;
  cells: SheetCell[];
}

/** Worker → main thread: a batch of rows (the worker waits for `next` before reading on), the end, or a failure. */
export type RowReaderMessage =
  { type: 'rows'; rows: ReadRow[] } | { type: 'end' } | { type: 'error'; message: string };

/** Rows per message from the reader. */
export const ROWS_PER_MESSAGE = 1000;
