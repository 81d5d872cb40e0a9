import { cellText, type CellValue } from './cell-safety';

/** The delimiter of the CSV files we generate: `;`, what Excel with Russian regional settings expects. */
export const CSV_DELIMITER = ';';
/** UTF-8 byte order mark: Excel reads the file as UTF-8 (Cyrillic intact) only with it. */
export const CSV_BOM = '\uFEFF';

/** One CSV line (CRLF-terminated), every text cell formula-neutralised, quoted where needed. */
export function csvLine(values: readonly CellValue[], delimiter = CSV_DELIMITER): string {
  return values.map((value) => csvField(cellText(value), delimiter)).join(delimiter) + '\r\n';
}

function csvField(text: string, delimiter: string): string {
  if (text.includes('"') || text.includes(delimiter) || text.includes('\n') || text.includes('\r'))
    return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** A CSV file as text chunks: the BOM and header line first, then the rows' lines batched into ~64 KB chunks. */
export async function* csvChunks(
  headers: readonly string[],
  pages: AsyncIterable<readonly (readonly CellValue[])[]>,
): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(headers);
  for await (const rows of pages) {
    let chunk = '';
    for (const row of rows) {
      chunk += csvLine(row);
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
}
