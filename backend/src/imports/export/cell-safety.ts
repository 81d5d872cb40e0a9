/** A value of a generated spreadsheet cell: text, a number, a date, or empty. */
export type CellValue = string | number | boolean | Date | null | undefined;

/** Characters that make Excel, LibreOffice or Google Sheets read a text cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text that a spreadsheet program would take for a formula gets a leading apostrophe, so it is shown as typed and
 * never run. Applied to every text cell of every file we generate (CSV and XLSX); numbers are written as numbers.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The text as it was before neutraliseFormula (or another program's export) put an apostrophe before it: a file
 * exported here is imported back as it was (`'+7 916…` is the phone +7 916…).
 */
export function restoreNeutralised(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** The text of a cell in a generated file: dates as `YYYY-MM-DD HH:MM:SS` (UTC), text neutralised. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return neutraliseFormula(value);
}

export function formatDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 19).replace('T', ' ');
}
