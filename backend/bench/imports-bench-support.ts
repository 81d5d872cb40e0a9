import { createWriteStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Connection } from 'mysql2/promise';
import { xlsxChunks } from '../src/imports/export/xlsx-writer';
import { callJson, delay } from './contacts-bench-support';

/**
 * Files, uploads and measurements of the imports benchmark: generated spreadsheets written as a stream (the
 * generator never holds the rows), a multipart upload as a browser sends it, the peak RSS of a process, polling of
 * an import's progress, and contacts seeded straight into the mirror for the export.
 */

/** Column names of the generated files: the three the mapping uses, then filler columns up to `columns`. */
export function headersOf(columns: number): string[] {
  const filler = Array.from({ length: Math.max(0, columns - 3) }, (_, i) => `Поле ${i + 1}`);
  return ['Имя', 'Телефон', 'E-mail', ...filler];
}

function rowOf(n: number, columns: number): (string | number)[] {
  const row: (string | number)[] = [
    `Клиент ${n}`,
    `+7926${String(n).padStart(7, '0')}`,
    `c${n}@bench.example`,
  ];
  for (let c = 3; c < columns; c++) row.push(c % 3 === 0 ? n * c : `значение ${c}-${n % 997}`);
  return row;
}

/** An .xlsx of `rows` data rows × `columns` columns (inline strings, as our exports write them). */
export async function writeXlsx(path: string, rows: number, columns: number): Promise<void> {
  async function* pages(): AsyncGenerator<(string | number)[][]> {
    for (let from = 1; from <= rows; from += 1000) {
      const page: (string | number)[][] = [];
      for (let n = from; n < Math.min(from + 1000, rows + 1); n++) page.push(rowOf(n, columns));
      // let the writer drain between pages
      yield await Promise.resolve(page);
    }
  }
  const out = createWriteStream(path);
  for await (const chunk of xlsxChunks('Лиды', headersOf(columns), pages())) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** A UTF-8 CSV (`;`) of `rows` data rows × `columns` columns. */
export async function writeCsv(path: string, rows: number, columns: number, from = 1): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${headersOf(columns).join(';')}\n`);
  for (let n = from; n < from + rows; n++) {
    if (!out.write(`${rowOf(n, columns).join(';')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** POST /api/v1/imports with the file as the multipart field `file`; answers the import's id. */
export async function upload(url: string, token: string, path: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await readFile(path))]), name);
  const res = await fetch(`${url}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

export async function mapAndStart(
  url: string,
  token: string,
  id: string,
  mapping: Record<string, unknown>,
): Promise<void> {
  const mapped = await callJson(`${url}/api/v1/imports/${id}/mapping`, {
    method: 'PUT',
    token,
    body: mapping,
  });
  if (mapped.status !== 200) throw new Error(`mapping: ${mapped.status} ${JSON.stringify(mapped.body)}`);
  const started = await callJson(`${url}/api/v1/imports/${id}/start`, { method: 'POST', token });
  if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
}

export type Progress = Record<string, any>;

export async function progressOf(url: string, token: string, id: string): Promise<Progress> {
  const res = await callJson(`${url}/api/v1/imports/${id}`, { token });
  if (res.status !== 200) throw new Error(`progress: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.progress as Progress;
}

/** Polls until `done`; a failed import or the deadline ends the benchmark part with an error. */
export async function waitFor(
  url: string,
  token: string,
  id: string,
  done: (progress: Progress) => boolean,
  timeoutMs: number,
): Promise<Progress> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(url, token, id);
    if (done(progress)) return progress;
    if (progress.status === 'failed') throw new Error(`import ${id} failed: ${JSON.stringify(progress)}`);
    if (Date.now() > until) throw new Error(`import ${id} not there in time: ${JSON.stringify(progress)}`);
    await delay(250);
  }
}

/** Resident memory of a process now (VmRSS, Linux), in MB; 0 elsewhere. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in seconds (Linux; 0 elsewhere). */
export function cpuSeconds(pid: number): number {
  try {
    // the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()?.trim().split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The highest resident memory of a process while a part of the benchmark runs (sampled every 100 ms). */
export function sampleRss(pid: number): { peak(): number; stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  timer.unref(); // a part that fails never keeps the benchmark alive
  return {
    /** The peak so far (sampling goes on). */
    peak: () => Math.max(peak, rssMb(pid)),
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

/** `count` live contacts in the mirror of the workspace, inserted in one statement (MariaDB's sequence engine). */
export async function seedContacts(db: Connection, workspaceId: string, count: number): Promise<void> {
  for (let from = 1; from <= count; from += 100_000) {
    const to = Math.min(count, from + 99_999);
    await db.query(
      `INSERT INTO contacts (id, workspace_id, amocrm_id, name, phone, email, phones, emails, source, synced_at)
       SELECT UUID(), ?, 900000000 + seq, CONCAT('Экспорт ', seq), CONCAT('+7925', LPAD(seq, 7, '0')),
              CONCAT('e', seq, '@bench.example'), JSON_ARRAY(CONCAT('+7925', LPAD(seq, 7, '0'))),
              JSON_ARRAY(CONCAT('e', seq, '@bench.example')), 'amocrm', NOW(3)
       FROM seq_${from}_to_${to}`,
      [workspaceId],
    );
  }
}
