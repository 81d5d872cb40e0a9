import { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import type { SheetCell } from './header-row';
import { MAX_CELL_CHARS, MAX_COLUMNS } from './limits';
import { SharedStringTable } from './shared-string-table';
import {
  DEFAULT_ZIP_LIMITS,
  readCentralDirectory,
  UnsafeZipError,
  type ZipEntryInfo,
  type ZipLimits,
} from './zip-guard';

/** A row's XML larger than this is refused (a sheet row is a few KB; bounded memory whatever the file). */
const MAX_ROW_XML = 16 * 1024 * 1024;
/** Small parts (workbook, relationships, styles) are read whole, up to this size. */
const MAX_SMALL_PART = 8 * 1024 * 1024;

/**
 * Reads the first rows of one sheet of an .xlsx without loading the workbook: the sheet's XML is inflated as a
 * stream and left as soon as `maxRows` rows are read, and only the shared strings those rows use are kept; or
 * every row, one at a time (`eachRow`, for imports). For large
 * files, where SheetJS would parse every cell and every shared string first. Formulas are never evaluated (the
 * cached `<v>` is the value); number cells with a date format become ISO dates, as SheetJS's `cellDates` gives.
 */
export class XlsxStreamReader {
  private readonly entries: Map<string, ZipEntryInfo>;

  constructor(
    private readonly zip: Buffer,
    limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  ) {
    this.entries = new Map(readCentralDirectory(zip, limits).map((entry) => [entry.name, entry]));
  }

  /** Sheet names in workbook order, each with its part's path. */
  sheets(): { name: string; path: string }[] {
    const targets = new Map<string, string>();
    for (const rel of tags(this.smallPart('xl/_rels/workbook.xml.rels'), 'Relationship'))
      if (rel.Id && rel.Target) targets.set(rel.Id, partPath(rel.Target));
    return tags(this.smallPart('xl/workbook.xml'), 'sheet').flatMap((sheet) => {
      const path = targets.get(sheet['r:id'] ?? '');
      return sheet.name && path ? [{ name: decodeXml(sheet.name), path }] : [];
    });
  }

  /** The first `maxRows` rows of the sheet at `path` (row 1 first; missing rows and cells are empty). */
  async rows(path: string, maxRows: number): Promise<SheetCell[][]> {
    const raw: { cells: RawCell[] }[] = [];
    let buffer = '';
    for await (const text of this.partStream(path)) {
      buffer += text;
      let end: number;
      while ((end = rowEnd(buffer)) >= 0) {
        const rowXml = buffer.slice(0, end);
        buffer = buffer.slice(end);
        const row = parseRow(rowXml, raw.length + 1);
        if (row.number > maxRows) return this.resolve(raw, maxRows);
        while (raw.length < row.number - 1) raw.push({ cells: [] });
        raw.push({ cells: row.cells });
      }
      if (buffer.length > MAX_ROW_XML)
        throw new UnsafeZipError('too_large_uncompressed', 'A row of the sheet is far too large.');
      if (/<\/sheetData>/.test(buffer)) break;
    }
    return this.resolve(raw, maxRows);
  }

  /**
   * Every row of the sheet at `path`, one at a time, row 1 first (a missing row comes as an empty one). Memory
   * holds the shared strings (compactly, see SharedStringTable) and the row being read, whatever the row count.
   */
  async *eachRow(path: string): AsyncGenerator<SheetCell[]> {
    const strings = new SharedStringTable();
    await this.eachSharedString((_, text) => {
      strings.add(text);
      return true;
    });
    const dateStyles = this.dateStyles();
    let next = 1;
    let buffer = '';
    for await (const text of this.partStream(path)) {
      buffer += text;
      let end: number;
      while ((end = rowEnd(buffer)) >= 0) {
        const row = parseRow(buffer.slice(0, end), next);
        buffer = buffer.slice(end);
        for (; next < row.number; next++) yield [];
        yield cellsOf(row.cells, (index) => strings.get(index), dateStyles);
        next = Math.max(next, row.number + 1);
      }
      if (buffer.length > MAX_ROW_XML)
        throw new UnsafeZipError('too_large_uncompressed', 'A row of the sheet is far too large.');
      if (/<\/sheetData>/.test(buffer)) return;
    }
  }

  private async resolve(raw: { cells: RawCell[] }[], maxRows: number): Promise<SheetCell[][]> {
    const wanted = new Set<number>();
    for (const row of raw)
      for (const cell of row.cells) if (cell.type === 's') wanted.add(Number(cell.value));
    const strings = new Map<number, string>();
    if (wanted.size > 0) {
      const last = Math.max(...wanted);
      await this.eachSharedString((index, text) => {
        if (wanted.has(index)) strings.set(index, text);
        return index < last;
      });
    }
    const dateStyles = this.dateStyles();
    return raw
      .slice(0, maxRows)
      .map(({ cells }) => cellsOf(cells, (index) => strings.get(index) ?? null, dateStyles));
  }

  /** Each shared string in order, until `take` answers false (read as a stream: one string in memory at a time). */
  private async eachSharedString(take: (index: number, text: string) => boolean): Promise<void> {
    if (!this.entries.has('xl/sharedStrings.xml')) return;
    let index = 0;
    let buffer = '';
    for await (const text of this.partStream('xl/sharedStrings.xml')) {
      buffer += text;
      const item = /<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g;
      let match: RegExpExecArray | null;
      let consumed = 0;
      while ((match = item.exec(buffer))) {
        if (!take(index, textOf(match[1] ?? ''))) return;
        index += 1;
        consumed = item.lastIndex;
      }
      buffer = buffer.slice(consumed);
      if (buffer.length > MAX_ROW_XML)
        throw new UnsafeZipError('too_large_uncompressed', 'A shared string is far too large.');
    }
  }

  /** Indexes of the cell styles (`s=`) whose number format is a date or time. */
  private dateStyles(): Set<number> {
    const styles = new Set<number>();
    if (!this.entries.has('xl/styles.xml')) return styles;
    const xml = this.smallPart('xl/styles.xml');
    const custom = new Map(
      tags(xml, 'numFmt').map((f) => [Number(f.numFmtId), decodeXml(f.formatCode ?? '')]),
    );
    const cellXfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
    tags(cellXfs, 'xf').forEach((xf, index) => {
      const id = Number(xf.numFmtId ?? 0);
      if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) || isDateFormat(custom.get(id))) styles.add(index);
    });
    return styles;
  }

  private entry(name: string): ZipEntryInfo {
    const entry = this.entries.get(name);
    if (!entry) throw new UnsafeZipError('not_a_zip', `The workbook has no part ${name}.`);
    return entry;
  }

  private compressed(entry: ZipEntryInfo): Buffer {
    const at = entry.localHeaderOffset;
    if (at + 30 > this.zip.length || this.zip.readUInt32LE(at) !== 0x04034b50)
      throw new UnsafeZipError('not_a_zip', 'The file is damaged (a part is missing).');
    const start = at + 30 + this.zip.readUInt16LE(at + 26) + this.zip.readUInt16LE(at + 28);
    return this.zip.subarray(start, start + entry.compressedSize);
  }

  private smallPart(name: string): string {
    const entry = this.entry(name);
    if (entry.uncompressedSize > MAX_SMALL_PART)
      throw new UnsafeZipError('too_large_uncompressed', `The part ${name} is far too large.`);
    if (entry.method === 0) return this.compressed(entry).toString('utf8');
    try {
      const bytes = inflateRawSync(this.compressed(entry), { maxOutputLength: entry.uncompressedSize + 1 });
      if (bytes.length !== entry.uncompressedSize) throw sizesLie();
      return bytes.toString('utf8');
    } catch (error) {
      if (error instanceof UnsafeZipError) throw error;
      throw sizesLie();
    }
  }

  /** A part's text as it inflates; more bytes than the part declares stop it (a lying zip bomb). */
  private async *partStream(name: string): AsyncGenerator<string> {
    const entry = this.entry(name);
    const source = Readable.from([this.compressed(entry)]);
    const bytes = entry.method === 0 ? source : source.pipe(createInflateRaw({ chunkSize: 64 * 1024 }));
    const decoder = new TextDecoder('utf-8');
    let total = 0;
    try {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > entry.uncompressedSize) throw sizesLie();
        yield decoder.decode(chunk, { stream: true });
      }
    } finally {
      source.destroy();
      bytes.destroy();
    }
  }
}

interface RawCell {
  column: number;
  type: string;
  style: number;
  value: string | null;
}

/** The end of the first complete `<row>` element in `xml`, or -1. */
function rowEnd(xml: string): number {
  const start = xml.search(/<row[\s>/]/);
  if (start < 0) return -1;
  const open = xml.indexOf('>', start);
  if (open < 0) return -1;
  if (xml[open - 1] === '/') return open + 1;
  const close = xml.indexOf('</row>', open);
  return close < 0 ? -1 : close + 6;
}

function parseRow(xml: string, next: number): { number: number; cells: RawCell[] } {
  const open = /<row\b([^>]*)>/.exec(xml);
  const number = Number(attributes(open?.[1] ?? '').r ?? next) || next;
  const cells: RawCell[] = [];
  const cell = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  let match: RegExpExecArray | null;
  while ((match = cell.exec(xml))) {
    const attrs = cellAttributes(match[1]);
    const column = attrs.r ? columnIndex(attrs.r) : cells.length ? cells[cells.length - 1].column + 1 : 0;
    const body = match[2] ?? '';
    const inline = /<is>([\s\S]*?)<\/is>/.exec(body);
    const value = inline ? textOf(inline[1]) : (/<v\b[^>]*>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? null);
    cells.push({ column, type: attrs.t ?? 'n', style: Number(attrs.s ?? 0), value });
  }
  return { number, cells };
}

/** A row's cells by column (gaps empty, columns past MAX_COLUMNS left out). */
function cellsOf(
  cells: readonly RawCell[],
  sharedString: (index: number) => string | null,
  dateStyles: Set<number>,
): SheetCell[] {
  const row: SheetCell[] = [];
  for (const cell of cells) {
    if (cell.column >= MAX_COLUMNS) continue;
    while (row.length < cell.column) row.push(null);
    row[cell.column] = valueOf(cell, sharedString, dateStyles);
  }
  return row;
}

function valueOf(
  cell: RawCell,
  sharedString: (index: number) => string | null,
  dateStyles: Set<number>,
): SheetCell {
  if (cell.value === null) return null;
  let value: SheetCell;
  switch (cell.type) {
    case 's':
      value = sharedString(Number(cell.value));
      break;
    case 'inlineStr':
      value = cell.value;
      break;
    case 'str':
    case 'd':
      value = decodeXml(cell.value);
      break;
    case 'b':
      value = cell.value === '1';
      break;
    case 'e':
      return null;
    default: {
      const number = Number(cell.value);
      if (!Number.isFinite(number)) return null;
      value = dateStyles.has(cell.style) ? serialToIso(number) : number;
    }
  }
  return typeof value === 'string' ? value.slice(0, MAX_CELL_CHARS) : value;
}

/** Excel's day number (1900 system) as an ISO time, like SheetJS's `cellDates`. */
function serialToIso(serial: number): string {
  const ms = Math.round((serial - 25569) * 86_400_000);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(serial) : date.toISOString();
}

function isDateFormat(code: string | undefined): boolean {
  if (!code) return false;
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare);
}

/** The text of a shared or inline string: its `<t>` runs, phonetic hints (`<rPh>`) left out. */
function textOf(xml: string): string {
  // the usual case, one plain run: `<t>…</t>` or `<t xml:space="preserve">…</t>`
  if (xml.startsWith('<t') && (xml[2] === '>' || xml[2] === ' ') && xml.endsWith('</t>')) {
    const open = xml.indexOf('>');
    if (xml[open - 1] !== '/' && xml.indexOf('<', open) === xml.length - 4)
      return decodeXml(xml.slice(open + 1, -4));
  }
  const runs = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').match(/<t\b[^>]*>[\s\S]*?<\/t>|<t\b[^>]*\/>/g) ?? [];
  return decodeXml(runs.map((run) => run.replace(/^<t\b[^>]*>|<\/t>$|^<t\b[^>]*\/>$/g, '')).join(''));
}

/** Attributes of every `<name …>` tag in `xml`. */
function tags(xml: string, name: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const tag = new RegExp(`<${name}\\b([^>]*?)\\/?>`, 'g');
  let match: RegExpExecArray | null;
  while ((match = tag.exec(xml))) found.push(attributes(match[1]));
  return found;
}

/**
 * The attributes of a cell tag (`r`, `t`, `s` are read): a plain scan of `name="value"` pairs, the hot path of a
 * large sheet (~3 µs a cell less than the regex); anything else than such pairs goes through `attributes`.
 */
function cellAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  let at = 0;
  for (;;) {
    while (at < text.length && isSpace(text.charCodeAt(at))) at++;
    if (at >= text.length) return attrs;
    const eq = text.indexOf('="', at);
    const close = eq < 0 ? -1 : text.indexOf('"', eq + 2);
    if (close < 0) return attributes(text);
    const name = text.slice(at, eq);
    if (!/^[\w:.-]+$/.test(name)) return attributes(text);
    attrs[name] = text.slice(eq + 2, close);
    at = close + 1;
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function attributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [, key, value] of text.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[key] = value;
  return attrs;
}

function columnIndex(ref: string): number {
  let index = 0;
  let end = ref.length;
  while (end > 0 && ref.charCodeAt(end - 1) >= 48 && ref.charCodeAt(end - 1) <= 57) end--;
  for (let at = 0; at < end; at++) {
    const code = ref.charCodeAt(at);
    // a-z counted as A-Z
    index = index * 26 + ((code >= 97 && code <= 122 ? code - 32 : code) - 64);
  }
  return index - 1;
}

function partPath(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
}

function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (entity: string, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (name[0] !== '#') return named[name.toLowerCase()] ?? entity;
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const sizesLie = () =>
  new UnsafeZipError(
    'sizes_lie',
    'The file looks like a zip bomb: its parts expand to more than they declare.',
  );
