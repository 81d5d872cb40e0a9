import type { CountryCode } from 'libphonenumber-js';
import { normalizeEmail, normalizePhone } from '../../contacts/phone';
import type { LptrackerLeadInput } from '../../sync/lptracker/lptracker-lead-write.plan';
import type { SheetCell } from '../parsing/header-row';
import type { RowField } from './row-plan';

export type LptrackerRowPlan = { ok: true; lead: LptrackerLeadInput } | { ok: false; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_CHARS = 255;
const VIEW_KEYS = {
  'view.source': 'source',
  'view.campaign': 'campaign',
  'view.keyword': 'keyword',
} as const;

/**
 * A row's cells as one LPTracker lead (the fields of an LPTracker target in imports/mapping), or why it cannot be
 * imported (in Russian, for the report): the phone must parse, the e-mail must look like one, one of them must be
 * present; the stage and the owner are LPTracker ids.
 */
export function planLptrackerRow(
  cells: readonly SheetCell[],
  fields: readonly RowField[],
  region: CountryCode,
): LptrackerRowPlan {
  const lead: LptrackerLeadInput = {
    name: null,
    contactName: null,
    phone: null,
    email: null,
    contactFields: {},
    custom: {},
    stageId: null,
    ownerId: null,
    view: {},
  };
  for (const { index, field } of fields) {
    const text = textOf(cells[index]);
    if (text === '') continue;
    if (field === 'contact.name') lead.contactName = text.slice(0, NAME_CHARS);
    else if (field === 'lead.name') lead.name = text.slice(0, NAME_CHARS);
    else if (field === 'contact.phone') {
      const phone = normalizePhone(text, region);
      if (!phone) return fail(`Телефон «${short(text)}» не похож на номер телефона`);
      lead.phone ??= phone;
    } else if (field === 'contact.email') {
      if (!EMAIL.test(text)) return fail(`E-mail «${short(text)}» записан с ошибкой`);
      lead.email ??= normalizeEmail(text);
    } else if (field === 'lead.stage' || field === 'lead.owner') {
      if (!/^\d{1,12}$/.test(text))
        return fail(
          `${field === 'lead.stage' ? 'Этап' : 'Ответственного'} «${short(text)}» нужно указать номером из LPTracker`,
        );
      if (field === 'lead.stage') lead.stageId = Number(text);
      else lead.ownerId = Number(text);
    } else if (field in VIEW_KEYS) lead.view[VIEW_KEYS[field as keyof typeof VIEW_KEYS]] = text;
    else if (field.startsWith('contact.field.')) lead.contactFields[field.slice(14)] = text;
    else if (field.startsWith('lead.custom.')) lead.custom[field.slice(12)] = text;
  }
  if (!lead.phone && !lead.email) return fail('Нет ни телефона, ни e-mail');
  return { ok: true, lead };
}

function textOf(cell: SheetCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'да' : 'нет';
  return String(cell).trim();
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(message: string): LptrackerRowPlan {
  return { ok: false, message };
}
