import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { previewFile } from './file-preview';

describe('previewFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-preview-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("shows the first rows as the import reads them: an export's apostrophe before + or = is dropped", async () => {
    const path = join(dir, 'export.csv');
    await writeFile(path, "Имя;Телефон\n'=Анна;'+79161234567\n'просто;89161112233\n");
    const outcome = await previewFile({ path, format: 'csv' });
    expect(outcome.ok && outcome.preview.sampleRows).toEqual([
      ['=Анна', '+79161234567'],
      ["'просто", '89161112233'],
    ]);
  });
});
