/** A cell keeps at most this many characters (Excel's own limit); longer text is cut. */
export const MAX_CELL_CHARS = 32_767;
/** Columns read from a row; cells beyond are ignored. */
export const MAX_COLUMNS = 500;
/** A column name keeps at most this many characters. */
export const MAX_COLUMN_NAME_CHARS = 100;
/** Rows looked at for the header row (it may follow a title or blank lines). */
export const HEADER_SCAN_ROWS = 20;
/** Rows of data shown in the preview. */
export const SAMPLE_ROWS = 10;
/** A preview cell shows at most this many characters. */
export const SAMPLE_CELL_CHARS = 500;
/** Bytes of a CSV read for the preview (detection and the first rows). */
export const CSV_PREVIEW_BYTES = 256 * 1024;
