import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsInWorker } from './row-reader-runner';
import { ROWS_PER_MESSAGE, type RowReadRequest } from './row-reader.types';

describe('rowsInWorker', () => {
  let dir: string;
  let request: RowReadRequest;
  const ROWS = 2 * ROWS_PER_MESSAGE + 500;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'row-reader-runner-'));
    const lines = Array.from({ length: ROWS }, (_, i) => `Клиент ${i};+7916${String(i).padStart(7, '0')}`);
    await writeFile(join(dir, 'rows.csv'), `Имя;Телефон\n${lines.join('\n')}\n`);
    request = {
      path: join(dir, 'rows.csv'),
      format: 'csv',
      sheet: 'Sheet1',
      headerRow: 0,
      columnIndexes: [1, 0],
      csv: { encoding: 'utf-8', delimiter: ';' },
    };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('hands every row over in order, a batch at a time, to a consumer slower than the reader', async () => {
    const sizes: number[] = [];
    const numbers: number[] = [];
    for await (const batch of rowsInWorker(request)) {
      sizes.push(batch.length);
      numbers.push(...batch.map((row) => row.rowNumber));
      // a consumer slower than the reader: the read-ahead waits for it, nothing is lost or repeated
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sizes).toEqual([ROWS_PER_MESSAGE, ROWS_PER_MESSAGE, 500]);
    expect(numbers).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
  }, 30_000);

  it('stops the worker when the consumer leaves after the first batch', async () => {
    let first: unknown;
    for await (const batch of rowsInWorker(request)) {
      first = batch[0];
      break;
    }
    expect(first).toEqual({ rowNumber: 2, cells: ['+79160000000', 'Клиент 0'] });
  }, 30_000);
});
