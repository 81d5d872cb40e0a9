import type { Readable } from 'node:stream';
import { MAX_CELL_CHARS, MAX_COLUMNS } from './limits';

export type CsvEncoding = 'utf-8' | 'windows-1251';
export const CSV_DELIMITERS = [';', ',', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** UTF-8 when the bytes are valid UTF-8 (or start with its BOM), else Windows-1251 (Russian Excel's "CSV"). */
export function detectEncoding(sample: Buffer): CsvEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  try {
    // `stream: true`: a multi-byte character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1251';
  }
}

/**
 * The delimiter that splits the first lines into the same number (> 0) of parts most often; ties go to the one
 * giving more columns, then to `;` (Russian Excel's default). Quoted text is not counted.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = text
    .split(/\r\n|\n|\r/)
    .slice(0, 50)
    .filter((line) => line.trim() !== '');
  let best: { delimiter: CsvDelimiter; lines: number; count: number } = {
    delimiter: ';',
    lines: 0,
    count: 0,
  };
  for (const delimiter of CSV_DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter)).filter((count) => count > 0);
    const frequency = new Map<number, number>();
    for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    for (const [count, times] of frequency) {
      if (times > best.lines || (times === best.lines && count > best.count))
        best = { delimiter, lines: times, count };
    }
  }
  return best.delimiter;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let quoted = false;
  let count = 0;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count += 1;
  }
  return count;
}

/**
 * A CSV parser fed text in pieces (RFC 4180: quotes, doubled quotes, line breaks inside quotes, CRLF/LF/CR). Memory
 * is bounded whatever the input: a cell keeps at most MAX_CELL_CHARS characters and a row at most MAX_COLUMNS cells;
 * what is beyond is dropped and counted in `truncatedCells`.
 */
export class CsvParser {
  truncatedCells = 0;
  private row: string[] = [];
  private field = '';
  private fieldLength = 0;
  private quoted = false;
  /** A quote inside a quoted field: closing, or the first of `""` (decided by the next character). */
  private quotePending = false;
  private pendingCr = false;
  private rowHasContent = false;

  constructor(private readonly delimiter: string) {}

  /** Complete rows found in `text` (a row still open waits for the next piece). */
  push(text: string): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (char === '\n') continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (char === '"') {
          this.append('"');
          continue;
        }
        this.quoted = false;
      } else if (this.quoted) {
        if (char === '"') this.quotePending = true;
        else this.append(char);
        continue;
      }
      if (char === '"' && this.fieldLength === 0) {
        this.quoted = true;
        this.rowHasContent = true;
      } else if (char === this.delimiter) this.endField();
      else if (char === '\n' || char === '\r') {
        this.pendingCr = char === '\r';
        const row = this.endRow();
        if (row) rows.push(row);
      } else this.append(char);
    }
    return rows;
  }

  /** The last row when the input does not end with a line break. */
  end(): string[][] {
    this.quotePending = false;
    this.quoted = false;
    const row = this.endRow();
    return row ? [row] : [];
  }

  private append(char: string): void {
    this.rowHasContent = true;
    if (this.fieldLength < MAX_CELL_CHARS) this.field += char;
    else if (this.fieldLength === MAX_CELL_CHARS) this.truncatedCells += 1;
    this.fieldLength += 1;
  }

  private endField(): void {
    this.rowHasContent = true;
    if (this.row.length < MAX_COLUMNS) this.row.push(this.field);
    this.field = '';
    this.fieldLength = 0;
  }

  private endRow(): string[] | null {
    if (!this.rowHasContent && this.field === '' && this.row.length === 0) return null;
    this.endField();
    const row = this.row;
    this.row = [];
    this.rowHasContent = false;
    return row;
  }
}

/** Rows of a CSV stream, decoded and parsed piece by piece: memory stays bounded on a file of any size. */
export async function* readCsvRows(
  stream: Readable,
  encoding: CsvEncoding,
  delimiter: string,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  const parser = new CsvParser(delimiter);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
