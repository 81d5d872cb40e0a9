import { Readable } from 'node:stream';
import { CsvParser, detectDelimiter, detectEncoding, readCsvRows } from './csv-reader';
import { MAX_CELL_CHARS, MAX_COLUMNS } from './limits';

describe('CSV reading', () => {
  it('detects UTF-8 (with or without BOM, even cut mid-character) and otherwise Windows-1251', () => {
    expect(detectEncoding(Buffer.from('\uFEFFИмя;Телефон'))).toBe('utf-8');
    const utf8 = Buffer.from('Имя;Телефон');
    expect(detectEncoding(utf8.subarray(0, 3))).toBe('utf-8'); // «И» and half of «м»
    expect(detectEncoding(Buffer.from([0xc8, 0xec, 0xff, 0x3b, 0xd2, 0xe5, 0xeb]))).toBe('windows-1251');
  });

  it('detects the delimiter that splits the lines evenly, ignoring quoted text', () => {
    expect(detectDelimiter('Имя;Телефон;Город\nАнна;1;"Москва, центр"\nОлег;2;Тула')).toBe(';');
    expect(detectDelimiter('name,phone\n"Smith; John",1\nAnn,2')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(detectDelimiter('один столбец\nзначение')).toBe(';');
  });

  it('parses quotes, doubled quotes, line breaks in quotes and CRLF/LF/CR endings', () => {
    const parser = new CsvParser(';');
    const rows = [
      ...parser.push('a;"b;1";"say ""hi"""\r\n"multi\nline";x\r'),
      ...parser.push('last;""\n\n'),
      ...parser.end(),
    ];
    expect(rows).toEqual([
      ['a', 'b;1', 'say "hi"'],
      ['multi\nline', 'x'],
      ['last', ''],
    ]);
  });

  it('gives the same rows whatever the piece boundaries (a doubled quote or CRLF split across pieces)', () => {
    const text = 'h1;h2\r\n"a ""q"" b";"x\r\ny"\r\nlast;row';
    const whole = [...new CsvParser(';').push(text)];
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new CsvParser(';');
      const rows = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
      expect({ cut, rows }).toEqual({ cut, rows: [...whole, ...new CsvParser(';').end(), ['last', 'row']] });
    }
  });

  it('keeps memory bounded: a cell is cut at the cap, a row at the column cap', () => {
    const parser = new CsvParser(',');
    const [row] = [
      ...parser.push('x'.repeat(MAX_CELL_CHARS + 10) + ',' + ','.repeat(MAX_COLUMNS + 5) + '\n'),
    ];
    expect(row[0]).toHaveLength(MAX_CELL_CHARS);
    expect(row).toHaveLength(MAX_COLUMNS);
    expect(parser.truncatedCells).toBe(1);
  });

  it('streams rows out of a Windows-1251 byte stream read piece by piece', async () => {
    const bytes = Buffer.from([0xc8, 0xec, 0xff, 0x3b, 0x31, 0x0a, 0xce, 0xeb, 0xe5, 0xe3, 0x3b, 0x32, 0x0a]);
    const pieces = [...bytes].map((byte) => Buffer.from([byte]));
    const rows: string[][] = [];
    for await (const row of readCsvRows(Readable.from(pieces), 'windows-1251', ';')) rows.push(row);
    expect(rows).toEqual([
      ['Имя', '1'],
      ['Олег', '2'],
    ]);
  });
});
