import * as XLSX from 'xlsx';
import { neutraliseFormula } from './cell-safety';
import { csvChunks, csvLine } from './csv-writer';
import { columnLetters, escapeXml, xlsxChunks } from './xlsx-writer';
import { assertSafeZip } from '../parsing/zip-guard';

async function collect<T>(chunks: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** Pages as the exports' database reader gives them. */
function pages<T>(...list: T[][]): AsyncIterable<T[]> {
  return (async function* () {
    for (const page of list) yield await Promise.resolve(page);
  })();
}

describe('generated spreadsheets', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(['=1+2', '+7 916', '-5', '@SUM(A1)', '\tx', 'Анна', '', '1=1'].map(neutraliseFormula)).toEqual([
      "'=1+2",
      "'+7 916",
      "'-5",
      "'@SUM(A1)",
      "'\tx",
      'Анна',
      '',
      '1=1',
    ]);
    expect(csvLine(['=cmd', -5, 'a;b', 'say "hi"', null, new Date('2026-01-02T03:04:05Z')])).toBe(
      `'=cmd;-5;"a;b";"say ""hi""";;2026-01-02 03:04:05\r\n`,
    );
  });

  it('writes a CSV with BOM and header, in chunks', async () => {
    const text = (await collect(csvChunks(['Имя'], pages([['Анна']], [['=x']])))).join('');
    expect(text).toBe("\uFEFFИмя\r\nАнна\r\n'=x\r\n");
  });

  it('streams an .xlsx that SheetJS reads back and our own zip guard accepts', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [
      `Имя ${i}`,
      i,
      i % 2 ? '=HYPERLINK("x")' : 'a<b&c\u0001',
      null,
    ]);
    const file = Buffer.concat(
      await collect(
        xlsxChunks(
          'Контакты: все',
          ['Имя', 'N', 'Текст', 'Пусто'],
          pages(rows.slice(0, 1000), rows.slice(1000)),
        ),
      ),
    );
    expect(() => assertSafeZip(file)).not.toThrow();
    const book = XLSX.read(file, { type: 'buffer' });
    expect(book.SheetNames).toEqual(['Контакты  все']);
    const back = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]], {
      header: 1,
      defval: null,
    });
    expect(back).toHaveLength(2501);
    expect(back[0]).toEqual(['Имя', 'N', 'Текст', 'Пусто']);
    expect(back[1]).toEqual(['Имя 0', 0, 'a<b&c', null]);
    expect(back[2]).toEqual(['Имя 1', 1, '\'=HYPERLINK("x")', null]);
    expect(back[2500][1]).toBe(2499);
  });

  it('names columns like a spreadsheet and escapes XML', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(escapeXml('<a & b>\u0000')).toBe('&lt;a &amp; b&gt;');
  });
});
