import * as XLSX from 'xlsx';
import type { AmoAccountHandle } from '../../sandbox/amocrm';
import { normalizePhone } from '../../src/contacts/phone';
import { sandboxValues } from './contacts';
import { call, type JsonResponse } from './http';
import { uploadFile } from './imports';

/** An upload of `csv` (UTF-8, `;`) with its mapping saved; answers the import's id. */
export async function uploadMapped(
  url: string,
  token: string,
  csv: string,
  mapping: Record<string, unknown>,
  name = 'import.csv',
): Promise<string> {
  const uploaded = await uploadFile(url, token, name, csv);
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  const id = (uploaded.body as { id: string }).id;
  const mapped = await call(`${url}/api/v1/imports/${id}/mapping`, { method: 'PUT', token, body: mapping });
  if (mapped.status !== 200) throw new Error(`mapping: ${mapped.status} ${JSON.stringify(mapped.body)}`);
  return id;
}

export function runAction(url: string, token: string, id: string, action: string): Promise<JsonResponse> {
  return call(`${url}/api/v1/imports/${id}/${action}`, { method: 'POST', token });
}

export async function progressOf(url: string, token: string, id: string): Promise<Record<string, any>> {
  const res = await call(`${url}/api/v1/imports/${id}`, { token });
  if (res.status !== 200) throw new Error(`GET import: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.progress;
}

/** Polls the progress until `done(progress)` (no timing is asserted: the deadline only stops a stuck test). */
export async function waitForProgress(
  url: string,
  token: string,
  id: string,
  done: (progress: Record<string, any>) => boolean,
  deadlineMs = 240_000,
): Promise<Record<string, any>> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const progress = await progressOf(url, token, id);
    if (done(progress)) return progress;
    if (Date.now() > until) throw new Error(`import ${id} stuck: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const finished = (progress: Record<string, any>) =>
  ['done', 'failed', 'cancelled'].includes(progress.status);

/** The report of an import, parsed back: header row and data rows. */
export async function reportOf(url: string, token: string, id: string): Promise<unknown[][]> {
  const res = await fetch(`${url}/api/v1/imports/${id}/report.xlsx`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`report: ${res.status} ${await res.text()}`);
  const workbook = XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' });
  return XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[workbook.SheetNames[0]], {
    header: 1,
    defval: null,
    raw: true,
  });
}

/**
 * `count` valid contact rows with distinct phones +7 916 <from…>, CSV lines without a header. Without e-mails
 * (`emails` false) a new contact costs one amoCRM lookup (by phone) instead of two (phone, then e-mail).
 */
export function contactLines(count: number, from: number, name = 'Клиент', emails = true): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return `${name} ${n};+7916${String(n).padStart(7, '0')};${emails ? `c${n}@example.ru` : ''}`;
  });
}

export function phoneOf(n: number): string {
  return `+7916${String(n).padStart(7, '0')}`;
}

/**
 * How many sandbox contacts have each phone (any format, as sandboxContactsWithPhone reads it), from one pass over
 * the account: asking sandboxContactsWithPhone once per row parses every stored phone again for each row (2,000 rows
 * × 2,000 contacts × ~0.09 ms ≈ 4 minutes).
 */
export function sandboxPhoneCounts(amo: AmoAccountHandle): Map<string, number> {
  const counts = new Map<string, number>();
  for (const contact of amo.contacts()) {
    const phones = new Set(sandboxValues(contact, 'PHONE').map((value) => normalizePhone(value, 'RU')));
    for (const phone of phones) if (phone) counts.set(phone, (counts.get(phone) ?? 0) + 1);
  }
  return counts;
}
