import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as XLSX from 'xlsx';
import { restoreNeutralised } from '../export/cell-safety';
import { readCsvRows } from '../parsing/csv-reader';
import { STREAMING_PREVIEW_BYTES } from '../parsing/file-preview';
import type { SheetCell } from '../parsing/header-row';
import { MAX_CELL_CHARS } from '../parsing/limits';
import { XlsxStreamReader } from '../parsing/xlsx-stream-reader';
import { assertSafeZip } from '../parsing/zip-guard';
import { ROWS_PER_MESSAGE, type ReadRow, type RowReadRequest } from './row-reader.types';

/**
 * Every data row of the import's sheet, in batches (runs in a worker thread). CSV is decoded and parsed as a
 * stream (bounded memory). Workbooks go through the same guards as the preview (zip-bomb caps, formulas never
 * evaluated: cached values only, cell length cap); a large .xlsx is read row by row by the streaming reader (memory
 * holds its shared strings and one batch of rows, whatever the row count), a small one by SheetJS.
 */
export async function* readImportRows(request: RowReadRequest): AsyncGenerator<ReadRow[]> {
  let batch: ReadRow[] = [];
  for await (const [index, raw] of rawRows(request)) {
    if (index <= request.headerRow) continue;
    const cells = request.columnIndexes.map((column) => toCell(raw[column]));
    if (cells.every((cell) => cell === null || cell === '')) continue;
    batch.push({ rowNumber: index + 1, cells });
    if (batch.length >= ROWS_PER_MESSAGE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* rawRows(request: RowReadRequest): AsyncGenerator<[number, readonly unknown[]]> {
  if (request.format === 'csv') {
    if (!request.csv) throw new Error('CSV options missing');
    let index = 0;
    for await (const row of readCsvRows(
      createReadStream(request.path),
      request.csv.encoding,
      request.csv.delimiter,
    ))
      yield [index++, row];
    return;
  }
  const file = await readFile(request.path);
  if (request.format === 'xlsx' && file.length > STREAMING_PREVIEW_BYTES) {
    const reader = new XlsxStreamReader(file);
    const sheet = reader.sheets().find(({ name }) => name === request.sheet);
    if (!sheet) throw new Error(`no sheet ${request.sheet}`);
    let index = 0;
    for await (const row of reader.eachRow(sheet.path)) yield [index++, row];
    return;
  }
  if (request.format === 'xlsx') assertSafeZip(file);
  const workbook = XLSX.read(file, {
    type: 'buffer',
    cellFormula: false,
    cellHTML: false,
    cellText: false,
    cellStyles: false,
    cellNF: false,
    cellDates: true,
    dense: true,
    sheets: [request.sheet],
  });
  const worksheet = workbook.Sheets[request.sheet];
  if (!worksheet) throw new Error(`no sheet ${request.sheet}`);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(worksheet, {
    header: 1,
    raw: true,
    defval: null,
    blankrows: true,
  });
  for (let index = 0; index < rows.length; index++) yield [index, rows[index]];
}

/**
 * A cell as the import uses it. The `'` that exports (ours too) put before a text starting with `=`, `+`, `-`, `@`,
 * tab or CR is dropped (restoreNeutralised); every file generated from the rows is neutralised again.
 */
function toCell(value: unknown): SheetCell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string') return restoreNeutralised(value).slice(0, MAX_CELL_CHARS);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}
