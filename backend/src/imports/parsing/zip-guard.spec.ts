import * as XLSX from 'xlsx';
import { deflateRawSync } from 'node:zlib';
import { assertSafeZip, DEFAULT_ZIP_LIMITS, readCentralDirectory, UnsafeZipError } from './zip-guard';

/** A zip of these entries (deflated), each with an optional lying declared size. */
function zipOf(entries: { name: string; content: Buffer; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = deflateRawSync(entry.content);
    const size = entry.declared ?? entry.content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    const part = Buffer.concat([local, name, data]);
    locals.push(part);
    centrals.push(Buffer.concat([central, name]));
    offset += part.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const reasonOf = (run: () => void): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof UnsafeZipError ? error.reason : `other: ${String(error)}`;
  }
};

describe('zip guard', () => {
  it('lets an ordinary workbook through', () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['Имя', 'Телефон'],
      ['Анна', '+79161234567'],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Лист1');
    const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    expect(reasonOf(() => assertSafeZip(file))).toBeNull();
    expect(readCentralDirectory(file).map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
  });

  it('refuses an entry that expands more than the ratio allows', () => {
    const bomb = zipOf([{ name: 'a.xml', content: Buffer.alloc(5 * 1024 * 1024, 0x20) }]);
    expect(reasonOf(() => assertSafeZip(bomb))).toBe('ratio');
    expect(reasonOf(() => assertSafeZip(bomb, { ...DEFAULT_ZIP_LIMITS, maxRatio: 100_000 }))).toBeNull();
  });

  it('refuses too large a total, and too many entries, from the central directory alone', () => {
    const big = zipOf([
      { name: 'a', content: Buffer.from('x'), declared: 600 * 1024 * 1024 },
      { name: 'b', content: Buffer.from('x'), declared: 600 * 1024 * 1024 },
    ]);
    expect(reasonOf(() => readCentralDirectory(big, { ...DEFAULT_ZIP_LIMITS, maxRatio: Infinity }))).toBe(
      'too_large_uncompressed',
    );
    const many = zipOf(Array.from({ length: 12 }, (_, i) => ({ name: `p${i}`, content: Buffer.from('x') })));
    expect(reasonOf(() => assertSafeZip(many, { ...DEFAULT_ZIP_LIMITS, maxEntries: 10 }))).toBe(
      'too_many_entries',
    );
    expect(reasonOf(() => assertSafeZip(many, { ...DEFAULT_ZIP_LIMITS, maxEntries: 12 }))).toBeNull();
  });

  it('refuses an entry that inflates to more than it declares (bounded: never past the declared size)', () => {
    const liar = zipOf([{ name: 'a.xml', content: Buffer.alloc(2 * 1024 * 1024, 0x41), declared: 1000 }]);
    expect(reasonOf(() => assertSafeZip(liar))).toBe('sizes_lie');
    const short = zipOf([{ name: 'a.xml', content: Buffer.from('short'), declared: 10 }]);
    expect(reasonOf(() => assertSafeZip(short))).toBe('sizes_lie');
  });

  it('refuses what is not a zip', () => {
    expect(reasonOf(() => assertSafeZip(Buffer.from('Имя;Телефон\n')))).toBe('not_a_zip');
    const cut = zipOf([{ name: 'a', content: Buffer.from('hello') }]);
    expect(reasonOf(() => assertSafeZip(cut.subarray(0, cut.length - 30)))).toBe('not_a_zip');
  });
});
