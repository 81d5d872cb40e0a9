import { restoreNeutralised } from '../export/cell-safety';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import * as XLSX from 'xlsx';
import { detectDelimiter, detectEncoding, CsvParser } from './csv-reader';
import { columnsOf, detectHeaderRow, type SheetCell } from './header-row';
import {
  CSV_PREVIEW_BYTES,
  HEADER_SCAN_ROWS,
  MAX_CELL_CHARS,
  MAX_COLUMNS,
  SAMPLE_CELL_CHARS,
  SAMPLE_ROWS,
} from './limits';
import type { FilePreview, PreviewOutcome, PreviewRequest, PreviewRefusal } from './preview.types';
import { XlsxStreamReader } from './xlsx-stream-reader';
import { assertSafeZip, UnsafeZipError } from './zip-guard';

const SCAN_ROWS = HEADER_SCAN_ROWS + SAMPLE_ROWS + 1;

/** Sheets, header, columns and first rows of an uploaded file (run in a worker thread: SheetJS is CPU-heavy). */
export async function previewFile(request: PreviewRequest): Promise<PreviewOutcome> {
  try {
    if (request.format === 'csv') return { ok: true, preview: await previewCsv(request.path) };
    return await previewWorkbook(await readFile(request.path), request);
  } catch (error) {
    if (error instanceof UnsafeZipError)
      return refuse(error.reason === 'not_a_zip' ? 'unreadable' : 'zip_bomb', error.message);
    return refuse('unreadable', 'The file could not be read as a spreadsheet; it may be damaged.');
  }
}

/** The file's first bytes match its extension (a renamed file is refused before any parser sees it). */
export async function sniffFormat(path: string, format: PreviewRequest['format']): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (format === 'xlsx') return bytesRead >= 4 && head.readUInt32LE(0) === 0x04034b50;
    if (format === 'xls') return bytesRead >= 8 && head.equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'));
    // CSV: text, not a zip or an OLE file, no NUL bytes in the start
    return !head.subarray(0, bytesRead).includes(0) || bytesRead === 0;
  } finally {
    await handle.close();
  }
}

/** Above this size (1 MB) an .xlsx is previewed by the streaming reader: SheetJS would parse every cell first. */
export const STREAMING_PREVIEW_BYTES = 1024 * 1024;

async function previewLargeXlsx(file: Buffer, request: PreviewRequest): Promise<PreviewOutcome> {
  const reader = new XlsxStreamReader(file);
  const sheets = reader.sheets();
  if (sheets.length === 0) return refuse('empty', 'The workbook has no sheets.');
  const sheet = sheets.find(({ name }) => name === (request.sheet ?? sheets[0].name));
  if (!sheet) return refuse('no_such_sheet', `The workbook has no sheet named "${request.sheet}".`);
  const rows = await reader.rows(sheet.path, SCAN_ROWS);
  const names = sheets.map(({ name }) => name);
  return { ok: true, preview: { ...tableOf(rows, names, sheet.name), csv: null, truncatedCells: 0 } };
}

function previewWorkbook(file: Buffer, request: PreviewRequest): PreviewOutcome | Promise<PreviewOutcome> {
  if (request.format === 'xlsx' && file.length > STREAMING_PREVIEW_BYTES)
    return previewLargeXlsx(file, request);
  if (request.format === 'xlsx') assertSafeZip(file);
  // formulas are never evaluated: only the values the file has cached are read (cellFormula: false)
  const options: XLSX.ParsingOptions = {
    type: 'buffer',
    cellFormula: false,
    cellHTML: false,
    cellText: false,
    cellStyles: false,
    cellNF: false,
    cellDates: true,
    dense: true,
  };
  const names = XLSX.read(file, { ...options, bookSheets: true }).SheetNames;
  if (names.length === 0) return refuse('empty', 'The workbook has no sheets.');
  const sheet = request.sheet ?? names[0];
  if (!names.includes(sheet)) return refuse('no_such_sheet', `The workbook has no sheet named "${sheet}".`);
  const workbook = XLSX.read(file, { ...options, sheets: [sheet], sheetRows: SCAN_ROWS });
  const worksheet = workbook.Sheets[sheet];
  const raw = worksheet
    ? XLSX.utils.sheet_to_json<unknown[]>(worksheet, { header: 1, raw: true, defval: null, blankrows: true })
    : [];
  let truncatedCells = 0;
  const rows = raw.map((row) =>
    row.slice(0, MAX_COLUMNS).map((value) => {
      const cell = toCell(value);
      if (typeof cell === 'string' && cell.length > MAX_CELL_CHARS) truncatedCells += 1;
      return typeof cell === 'string' ? cell.slice(0, MAX_CELL_CHARS) : cell;
    }),
  );
  return { ok: true, preview: { ...tableOf(rows, names, sheet), csv: null, truncatedCells } };
}

async function previewCsv(path: string): Promise<FilePreview> {
  const sample = await readStart(path, CSV_PREVIEW_BYTES);
  const encoding = detectEncoding(sample.bytes);
  const text = new TextDecoder(encoding).decode(sample.bytes, { stream: !sample.whole });
  const delimiter = detectDelimiter(text);
  const parser = new CsvParser(delimiter);
  const rows = parser.push(text);
  // a sample cut inside the file: its last, unfinished line is left out
  if (sample.whole) rows.push(...parser.end());
  const preview = tableOf(rows.slice(0, SCAN_ROWS), ['CSV'], 'CSV');
  return { ...preview, csv: { encoding, delimiter }, truncatedCells: parser.truncatedCells };
}

function tableOf(
  rows: SheetCell[][],
  sheets: string[],
  sheet: string,
): Omit<FilePreview, 'csv' | 'truncatedCells'> {
  const headerRow = detectHeaderRow(rows);
  const data = rows.slice(headerRow + 1).filter((row) => row.some((cell) => cell !== null && cell !== ''));
  const columns = columnsOf(rows[headerRow] ?? [], data.slice(0, SAMPLE_ROWS));
  const sampleRows = data.slice(0, SAMPLE_ROWS).map((row) =>
    columns.map(({ index }) => {
      const cell = row[index] ?? null;
      // shown as the import will read it
      return typeof cell === 'string' ? restoreNeutralised(cell).slice(0, SAMPLE_CELL_CHARS) : cell;
    }),
  );
  return { sheets, sheet, headerRow, columns, sampleRows };
}

function toCell(value: unknown): SheetCell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

async function readStart(path: string, bytes: number): Promise<{ bytes: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes }) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = Buffer.concat(chunks, total);
  return { bytes: all.subarray(0, bytes), whole: all.length <= bytes };
}

function refuse(reason: PreviewRefusal['reason'], message: string): PreviewOutcome {
  return { ok: false, refusal: { reason, message } };
}
