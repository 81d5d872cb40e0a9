import * as XLSX from 'xlsx';
import { deflateRawSync } from 'node:zlib';
import { xlsxChunks } from '../export/xlsx-writer';
import { XlsxStreamReader } from './xlsx-stream-reader';
import { UnsafeZipError } from './zip-guard';

const SHEET: unknown[][] = [
  ['Выгрузка за ноябрь'],
  [],
  ['Имя', 'Телефон', 'Сумма', 'Дата', 'Флаг', 'Заметка'],
  [
    'Анна',
    '+7 916 123-45-67',
    { t: 'n', v: 42, f: '1+1' },
    { t: 'n', v: 46357, z: 'dd.mm.yyyy' },
    true,
    'a < b & "c"',
  ],
  ['Олег', 89161112233, 7.5, null, false, { t: 's', v: '=not a formula' }],
  [null, null, null, null, null, 'только последняя'],
];

function workbook(bookSST: boolean): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(SHEET), 'Лиды');
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['x'], ['y']]), 'Второй & лист');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST, compression: true }) as Buffer;
}

/** What SheetJS reads (the reference the streaming reader must match). */
function sheetJsRows(file: Buffer, sheet: string): unknown[][] {
  const book = XLSX.read(file, { type: 'buffer', cellDates: true, cellFormula: false, dense: true });
  return XLSX.utils
    .sheet_to_json<unknown[]>(book.Sheets[sheet], { header: 1, raw: true, defval: null, blankrows: true })
    .map((row) => row.map((cell) => (cell instanceof Date ? cell.toISOString() : cell)));
}

const trimmed = (rows: unknown[][]) =>
  rows.map((row) => {
    const copy = [...row];
    while (copy.length > 0 && copy[copy.length - 1] === null) copy.pop();
    return copy;
  });

describe('streaming .xlsx reader (large files)', () => {
  it.each([true, false])(
    'reads what SheetJS reads: sheets, strings, cached formula values, dates (shared strings: %s)',
    async (sst) => {
      const file = workbook(sst);
      const reader = new XlsxStreamReader(file);
      const sheets = reader.sheets();
      expect(sheets.map((s) => s.name)).toEqual(['Лиды', 'Второй & лист']);
      const rows = await reader.rows(sheets[0].path, 100);
      expect(trimmed(rows)).toEqual(trimmed(sheetJsRows(file, 'Лиды')));
      expect(rows[3][2]).toBe(42); // cached, not evaluated (1+1)
      expect(rows[3][3]).toBe('2026-12-01T00:00:00.000Z');
      expect(rows[4][5]).toBe('=not a formula');
      expect(await reader.rows(sheets[1].path, 100)).toEqual([['x'], ['y']]);
    },
  );

  it.each([true, false])(
    'eachRow reads every row as SheetJS does, strings reused out of order (shared strings: %s)',
    async (sst) => {
      const words = Array.from({ length: 300 }, (_, i) => `слово ${i} ${'ё'.repeat(i % 7)}`);
      const big = Array.from({ length: 2500 }, (_, i) => [
        words[(i * 7919) % words.length],
        i,
        words[(words.length - 1 - i) % words.length] ?? null,
        i % 3 === 0 ? null : `уникальный ${i}`,
      ]);
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([...SHEET, [], ...big]), 'Лиды');
      const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST: sst, compression: true });
      const reader = new XlsxStreamReader(file as Buffer);
      const rows: unknown[][] = [];
      for await (const row of reader.eachRow(reader.sheets()[0].path)) rows.push(row);
      expect(rows).toHaveLength(SHEET.length + 1 + big.length);
      expect(trimmed(rows)).toEqual(trimmed(sheetJsRows(file as Buffer, 'Лиды')));
      expect(rows[3][2]).toBe(42);
    },
  );

  it('stops after the rows asked for', async () => {
    const reader = new XlsxStreamReader(workbook(true));
    expect(await reader.rows(reader.sheets()[0].path, 3)).toHaveLength(3);
  });

  it('reads inline strings (as our own exports write them)', async () => {
    const parts: Buffer[] = [];
    const rows = (async function* () {
      yield await Promise.resolve([['Анна', 1, '=x', null, 'a&b']]);
    })();
    for await (const chunk of xlsxChunks('Контакты', ['Имя', 'N', 'F', 'E', 'X'], rows)) parts.push(chunk);
    const reader = new XlsxStreamReader(Buffer.concat(parts));
    expect(await reader.rows(reader.sheets()[0].path, 10)).toEqual([
      ['Имя', 'N', 'F', 'E', 'X'],
      ['Анна', 1, "'=x", null, 'a&b'],
    ]);
  });

  it('reads no further than the rows asked for (a lie past them is never reached)', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['a']]), 'S');
    const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
    const path = new XlsxStreamReader(file).sheets()[0].path;
    const rows = Array.from(
      { length: 5 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
    ).join('');
    const content = Buffer.from(
      `<worksheet><sheetData>${rows}${' '.repeat(5 * 1024 * 1024)}</sheetData></worksheet>`,
    );
    const lying = new XlsxStreamReader(rewritePart(file, path, content, 100 * 1024));
    expect(await lying.rows(path, 3)).toEqual([[0], [1], [2]]);
    await expect(lying.rows(path, 10)).rejects.toBeInstanceOf(UnsafeZipError);
    // eachRow hands each row over as it is read: the rows before the lie come out, then the refusal
    const seen: unknown[][] = [];
    const reading = (async () => {
      for await (const row of lying.eachRow(path)) seen.push(row);
    })();
    await expect(reading).rejects.toBeInstanceOf(UnsafeZipError);
    expect(seen).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('reads cell tags and strings written every way: spaced or single-quoted attributes, lowercase refs, rich text', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['a']]), 'S');
    const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
    const path = new XlsxStreamReader(file).sheets()[0].path;
    const cells = [
      '<c r="A1" t="inlineStr"><is><t>просто</t></is></c>',
      '<c r = "B1" t="inlineStr"><is><t xml:space="preserve"> a &amp; b </t></is></c>',
      "<c r='C1' t='s'><v>5</v></c>", // single quotes are not read: the next column, a number
      '<c r="e1" t="inlineStr"><is><r><t>богатый </t></r><r><t>текст</t></r></is></c>',
      '<c r="AB1" t="inlineStr"><is><t>яп</t><rPh sb="0" eb="1"><t>ヤ</t></rPh></is></c>',
    ];
    const content = Buffer.from(
      `<worksheet><sheetData><row r="1">${cells.join('')}</row><row r="2"><c r="B2"/></row></sheetData></worksheet>`,
    );
    const reader = new XlsxStreamReader(rewritePart(file, path, content, content.length));
    const rows: unknown[][] = [];
    for await (const row of reader.eachRow(path)) rows.push(row);
    expect(rows).toEqual([
      ['просто', ' a & b ', 5, null, 'богатый текст', ...Array<null>(22).fill(null), 'яп'],
      [null, null],
    ]);
  });

  it('refuses a part that inflates to more than it declares', async () => {
    // a one-sheet workbook whose sheet part claims 100 bytes and inflates to 5 MB
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['a']]), 'S');
    const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
    const reader = new XlsxStreamReader(file);
    const path = reader.sheets()[0].path;
    const bomb = rewritePart(
      file,
      path,
      Buffer.from(`<worksheet><sheetData>${' '.repeat(5 * 1024 * 1024)}`),
      100,
    );
    await expect(new XlsxStreamReader(bomb).rows(path, 10)).rejects.toBeInstanceOf(UnsafeZipError);
  });
});

/** The same zip with one part's data replaced (declaring `declared` bytes), offsets fixed. */
function rewritePart(zip: Buffer, name: string, content: Buffer, declared: number): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const record = Buffer.from(
      zip.subarray(at, at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)),
    );
    const entryName = record.toString('utf8', 46, 46 + nameLength);
    const local = record.readUInt32LE(42);
    const localHeader = Buffer.from(
      zip.subarray(local, local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)),
    );
    let data = zip.subarray(local + localHeader.length, local + localHeader.length + record.readUInt32LE(20));
    if (entryName === name) {
      data = deflateRawSync(content);
      record.writeUInt16LE(8, 10);
      record.writeUInt32LE(data.length, 20);
      record.writeUInt32LE(declared, 24);
      localHeader.writeUInt16LE(8, 8);
      localHeader.writeUInt32LE(data.length, 18);
      localHeader.writeUInt32LE(declared, 22);
    }
    record.writeUInt32LE(offset, 42);
    parts.push(localHeader, data);
    central.push(record);
    offset += localHeader.length + data.length;
    at += record.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.from(zip.subarray(eocd, eocd + 22));
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
