import { deflateRawSync } from 'node:zlib';
import * as XLSX from 'xlsx';
import type { Fixture, FixtureContext } from './id-route-fixtures';

export interface Upload {
  status: number;
  contentType: string;
  body: any;
}

/** POST /api/v1/imports with the multipart field `file` (the way a browser sends it). */
export async function uploadFile(
  url: string,
  token: string,
  name: string,
  bytes: Buffer | string,
  query = '',
): Promise<Upload> {
  const form = new FormData();
  form.append(
    'file',
    new Blob([new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes)]),
    name,
  );
  const res = await fetch(`${url}/api/v1/imports${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
}

/** An .xlsx workbook (SheetJS) of these sheets; cell objects such as `{t: 'n', v: 3, f: 'A1+1'}` allowed. */
export function xlsxOf(sheets: Record<string, unknown[][]>): Buffer {
  const workbook = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets))
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), name);
  return XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/**
 * A zip whose one entry, `xl/worksheets/sheet1.xml`, declares `declared` bytes and inflates to `actual` bytes of
 * spaces (a classic bomb: tiny on disk, huge unpacked). `declared` may lie.
 */
export function zipBomb(actual: number, declared = actual): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const data = deflateRawSync(Buffer.alloc(actual, 0x20), { level: 9 });
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const body = Buffer.concat([local, name, data]);
  const directory = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, directory, end]);
}

const FIXTURE_CSV = 'Имя;Телефон;E-mail\nАнна;+79161234567;anna@example.ru\n';

async function fixtureImport({ url, owner }: FixtureContext): Promise<string> {
  const res = await uploadFile(url, owner.token, 'fixture.csv', FIXTURE_CSV);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/** Path-parameter fixtures of the imports routes (test/support/id-route-fixtures.ts). */
export const IMPORTS_ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/imports/:id': async (ctx) => ({ params: { id: await fixtureImport(ctx) } }),
  '/api/v1/imports/:id/sheet': async (ctx) => ({
    params: { id: await fixtureImport(ctx) },
    body: { sheet: 'CSV' },
  }),
  '/api/v1/imports/:id/mapping': async (ctx) => ({
    params: { id: await fixtureImport(ctx) },
    body: { kind: 'contacts', columns: { Телефон: 'contact.phone' }, dedupe: 'skip' },
  }),
  ...Object.fromEntries(
    ['start', 'pause', 'resume', 'cancel', 'progress', 'stream', 'report.xlsx'].map((action) => [
      `/api/v1/imports/:id/${action}`,
      async (ctx: FixtureContext) => ({ params: { id: await fixtureImport(ctx) } }),
    ]),
  ),
};

/** A history line's run part before the import is started (no mapping, no rows). */
export const NOT_STARTED = {
  kind: null,
  target: null,
  dryRun: false,
  totalRows: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
  startedAt: null,
  finishedAt: null,
};

/** Windows-1251 bytes of Russian text (the encoding Excel saves "CSV" in on Russian Windows). */
export function win1251(text: string): number[] {
  return [...text].map((char) => {
    const code = char.codePointAt(0)!;
    if (code < 0x80) return code;
    if (char === 'ё') return 0xb8;
    if (char === 'Ё') return 0xa8;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    throw new Error(`no Windows-1251 byte for ${char}`);
  });
}
