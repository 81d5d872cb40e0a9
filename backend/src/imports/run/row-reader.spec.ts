import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xlsxChunks } from '../export/xlsx-writer';
import { STREAMING_PREVIEW_BYTES } from '../parsing/file-preview';
import { readImportRows } from './row-reader';
import type { ReadRow, RowReadRequest } from './row-reader.types';

describe('readImportRows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'row-reader-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const read = async (request: Omit<RowReadRequest, 'headerRow' | 'columnIndexes'>) => {
    const rows: ReadRow[] = [];
    for await (const batch of readImportRows({ ...request, headerRow: 0, columnIndexes: [0, 1, 2] }))
      rows.push(...batch);
    return rows;
  };

  it("reads our own export back as it was: the apostrophe before =, +, -, @ is dropped, others' are kept", async () => {
    const path = join(dir, 'export.csv');
    await writeFile(path, "Имя;Телефон;Заметка\n'=1+1;'+79161234567;'как есть\n'-5;'@x;\n");
    expect(
      await read({ path, format: 'csv', sheet: 'Sheet1', csv: { encoding: 'utf-8', delimiter: ';' } }),
    ).toEqual([
      { rowNumber: 2, cells: ['=1+1', '+79161234567', "'как есть"] },
      { rowNumber: 3, cells: ['-5', '@x', ''] },
    ]);
  });

  it('reads a large .xlsx export (streaming reader) with the phones it neutralised', async () => {
    const parts: Buffer[] = [];
    // a hash per row keeps the file from compressing below the streaming reader's threshold with few rows
    const noise = (i: number) => createHash('sha256').update(String(i)).digest('hex');
    async function* pages() {
      const rows = Array.from({ length: 20_000 }, (_, i) => [
        `Клиент ${noise(i)}`,
        `+7916${String(i).padStart(7, '0')}`,
        i,
      ]);
      yield await Promise.resolve(rows);
    }
    for await (const chunk of xlsxChunks('Контакты', ['Имя', 'Телефон', 'N'], pages())) parts.push(chunk);
    const path = join(dir, 'big.xlsx');
    const file = Buffer.concat(parts);
    expect(file.length).toBeGreaterThan(STREAMING_PREVIEW_BYTES); // read by the streaming reader, not SheetJS
    await writeFile(path, file);
    const rows = await read({ path, format: 'xlsx', sheet: 'Контакты', csv: null });
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toEqual({
      rowNumber: 20_001,
      cells: [`Клиент ${noise(19_999)}`, '+79160019999', 19_999],
    });
  }, 30_000);
});
