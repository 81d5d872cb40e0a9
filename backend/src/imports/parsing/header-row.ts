import { columnLetters } from '../export/xlsx-writer';
import { HEADER_SCAN_ROWS, MAX_COLUMN_NAME_CHARS } from './limits';

/** A cell as read from an uploaded sheet: text, a number, a boolean, or empty. */
export type SheetCell = string | number | boolean | null;

/** A column of an uploaded sheet as the API shows it. */
export interface ImportColumn {
  /** 0-based position in the row. */
  index: number;
  /** Spreadsheet letter: A, B, … AA. */
  letter: string;
  /**
   * The name used in the mapping: the header text, trimmed and cut to 100 characters; an empty header becomes
   * «Столбец C»; a repeated one gets « (2)»; a name that could be read as an object's prototype (`__proto__`,
   * `constructor`, `prototype`, or starting with `__`) gets « (столбец C)» so it is never a special key.
   */
  name: string;
}

const PROTOTYPE_LIKE = /^(__.*|constructor|prototype|hasOwnProperty|toString|valueOf)$/i;

/**
 * The index of the header row among the first rows: the first one whose filled cells are at least 60 % of the
 * widest of those rows and are all text (a title line above the table, blank lines and numeric data rows are
 * skipped). 0 when none qualifies.
 */
export function detectHeaderRow(rows: readonly (readonly SheetCell[])[]): number {
  const scanned = rows.slice(0, HEADER_SCAN_ROWS);
  const widths = scanned.map(filledCount);
  const widest = Math.max(0, ...widths);
  if (widest === 0) return 0;
  const index = scanned.findIndex(
    (row, i) =>
      widths[i] >= Math.max(1, Math.ceil(widest * 0.6)) &&
      row.every(
        (cell) => isEmpty(cell) || (typeof cell === 'string' && !/^[\d\s.,+()-]+$/.test(cell.trim())),
      ),
  );
  return index < 0 ? 0 : index;
}

/** The columns named by the header row, as wide as the widest of `rows`. */
export function columnsOf(
  header: readonly SheetCell[],
  rows: readonly (readonly SheetCell[])[],
): ImportColumn[] {
  const width = Math.max(lastFilled(header), ...rows.map(lastFilled)) + 1;
  const used = new Map<string, number>();
  const columns: ImportColumn[] = [];
  for (let index = 0; index < width; index++) {
    const letter = columnLetters(index);
    const cell = header[index];
    let name = isEmpty(cell) ? '' : String(cell).replace(/\s+/g, ' ').trim().slice(0, MAX_COLUMN_NAME_CHARS);
    if (name === '') name = `Столбец ${letter}`;
    else if (PROTOTYPE_LIKE.test(name)) name = `${name} (столбец ${letter})`;
    const key = name.toLowerCase();
    const seen = used.get(key) ?? 0;
    used.set(key, seen + 1);
    if (seen > 0) name = `${name} (${seen + 1})`;
    columns.push({ index, letter, name });
  }
  return columns;
}

function filledCount(row: readonly SheetCell[]): number {
  return row.filter((cell) => !isEmpty(cell)).length;
}

function lastFilled(row: readonly SheetCell[]): number {
  for (let i = row.length - 1; i >= 0; i--) if (!isEmpty(row[i])) return i;
  return -1;
}

function isEmpty(cell: SheetCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}
