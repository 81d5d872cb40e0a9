import type { CountryCode } from 'libphonenumber-js';
import { normalizeEmail, normalizePhone } from '../../contacts/phone';
import type { CustomFieldInputDto } from '../../contacts/dto/custom-field-input.dto';
import type { SheetCell } from '../parsing/header-row';
import type { ImportKind } from '../mapping/import-mapping';

/** A mapped column: its position in the row's cells and the field it feeds. */
export interface RowField {
  index: number;
  field: string;
}

export interface PlannedContact {
  name: string;
  phone?: string;
  email?: string;
  customFields?: CustomFieldInputDto[];
}

export interface PlannedLead {
  name: string;
  price?: number;
  statusId?: number;
  tags?: string[];
  customFields?: CustomFieldInputDto[];
}

/** A valid row: the contact (and lead) to find or create, and its identity key for duplicates. */
export interface PlannedRow {
  contact: PlannedContact;
  lead: PlannedLead | null;
  /** `phone:+7…` when the row has a phone, else `email:…`: rows with the same key are the same contact. */
  key: string;
}

export type RowPlan = { ok: true; row: PlannedRow } | { ok: false; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_CHARS = 255;

/**
 * A row's cells turned into the engine's input, or why it cannot be imported (in Russian, for the report): the
 * phone must parse, the e-mail must look like one, one of them must be present; a number column must hold a number.
 */
export function planRow(
  cells: readonly SheetCell[],
  fields: readonly RowField[],
  kind: Exclude<ImportKind, 'call_results'>,
  region: CountryCode,
): RowPlan {
  const contactCustom = new Map<number, string[]>();
  const leadCustom = new Map<number, string[]>();
  const phones: string[] = [];
  const emails: string[] = [];
  const tags: string[] = [];
  let contactName = '';
  let leadName = '';
  let price: number | undefined;
  let statusId: number | undefined;
  for (const { index, field } of fields) {
    const text = textOf(cells[index]);
    if (text === '') continue;
    if (field === 'contact.name') contactName = text;
    else if (field === 'lead.name') leadName = text;
    else if (field === 'contact.phone') {
      const phone = normalizePhone(text, region);
      if (!phone) return fail(`Телефон «${short(text)}» не похож на номер телефона`);
      phones.push(phone);
    } else if (field === 'contact.email') {
      if (!EMAIL.test(text)) return fail(`E-mail «${short(text)}» записан с ошибкой`);
      emails.push(normalizeEmail(text));
    } else if (field === 'lead.price') {
      const value = Number(text.replace(/\s/g, '').replace(',', '.'));
      if (!Number.isFinite(value) || value < 0) return fail(`Бюджет «${short(text)}» — не число`);
      price = Math.round(value);
    } else if (field === 'lead.status') {
      if (!/^\d{1,12}$/.test(text)) return fail(`Этап «${short(text)}» нужно указать номером этапа amoCRM`);
      statusId = Number(text);
    } else if (field === 'lead.tags')
      tags.push(
        ...text
          .split(/[,;]/)
          .map((tag) => tag.trim().slice(0, 100))
          .filter(Boolean),
      );
    else if (field.startsWith('contact.custom.')) add(contactCustom, Number(field.slice(15)), text);
    else if (field.startsWith('lead.custom.')) add(leadCustom, Number(field.slice(12)), text);
  }
  if (phones.length === 0 && emails.length === 0) return fail('Нет ни телефона, ни e-mail');
  const identity = phones[0] ?? emails[0];
  const contact: PlannedContact = {
    name: (contactName || identity).slice(0, NAME_CHARS),
    ...(phones[0] ? { phone: phones[0] } : {}),
    ...(emails[0] ? { email: emails[0] } : {}),
    ...customOf(contactCustom),
  };
  const key = phones[0] ? `phone:${phones[0]}` : `email:${emails[0]}`;
  if (kind === 'contacts') return { ok: true, row: { contact, lead: null, key } };
  const lead: PlannedLead = {
    name: (leadName || `Импорт: ${contact.name}`).slice(0, NAME_CHARS),
    ...(price !== undefined ? { price } : {}),
    ...(statusId !== undefined ? { statusId } : {}),
    ...(tags.length > 0 ? { tags: [...new Set(tags)].slice(0, 50) } : {}),
    ...customOf(leadCustom),
  };
  return { ok: true, row: { contact, lead, key } };
}

function textOf(cell: SheetCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'да' : 'нет';
  return String(cell).trim();
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(message: string): RowPlan {
  return { ok: false, message };
}

function add(map: Map<number, string[]>, id: number, value: string): void {
  map.set(id, [...(map.get(id) ?? []), value]);
}

function customOf(map: Map<number, string[]>): { customFields?: CustomFieldInputDto[] } {
  if (map.size === 0) return {};
  return {
    customFields: [...map].map(([fieldId, values]) => ({
      fieldId,
      values: values.map((value) => ({ value })),
    })),
  };
}
