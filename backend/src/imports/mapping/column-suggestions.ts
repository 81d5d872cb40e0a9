import type { ImportColumn } from '../parsing/header-row';
import { isKnownField, type ColumnMapping, type ImportKind, type ImportTarget } from './import-mapping';

/** Header words (lower case, without punctuation) → the field they usually hold; first match wins. */
const RULES: readonly { words: RegExp; field: string; callField?: string }[] = [
  {
    words: /^(телефон|тел|номер телефона|мобильный|моб|phone|mobile|tel)(?: |$)/,
    field: 'contact.phone',
    callField: 'call.phone',
  },
  { words: /^(e ?mail|email|эл ?почта|электронная почта|почта|емейл|имейл)(?: |$)/, field: 'contact.email' },
  { words: /^(имя|фио|name|контакт|клиент|contact|full name)(?: |$)/, field: 'contact.name' },
  { words: /^(сделка|название сделки|название|lead|deal)(?: |$)/, field: 'lead.name' },
  { words: /^(бюджет|сумма|цена|стоимость|price|budget)(?: |$)/, field: 'lead.price' },
  { words: /^(теги|тег|tags?)(?: |$)/, field: 'lead.tags' },
  { words: /^(источник|utm source|source)(?: |$)/, field: 'view.source' },
  { words: /^(кампания|utm campaign|campaign)(?: |$)/, field: 'view.campaign' },
  {
    words: /^(дата|дата звонка|время звонка|начало|started at|date)(?: |$)/,
    field: '',
    callField: 'call.started_at',
  },
  { words: /^(длительность|продолжительность|duration)(?: |$)/, field: '', callField: 'call.duration' },
  { words: /^(направление|тип звонка|direction)(?: |$)/, field: '', callField: 'call.direction' },
  { words: /^(результат|статус звонка|result)(?: |$)/, field: '', callField: 'call.result' },
  { words: /^(оператор|менеджер|operator)(?: |$)/, field: '', callField: 'call.operator' },
  { words: /^(запись|ссылка на запись|recording)(?: |$)/, field: '', callField: 'call.recording_url' },
];

/** A mapping guessed from the header names («Телефон», «Имя», «E-mail»…): each field at most once. */
export function suggestColumns(
  columns: readonly ImportColumn[],
  kind: ImportKind,
  target: ImportTarget,
): ColumnMapping[] {
  const taken = new Set<string>();
  const suggestions: ColumnMapping[] = [];
  for (const column of columns) {
    const words = column.name
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    for (const rule of RULES) {
      const field = kind === 'call_results' ? rule.callField : rule.field;
      if (!field || taken.has(field) || !rule.words.test(words) || !isKnownField(field, kind, target))
        continue;
      taken.add(field);
      suggestions.push({ column: column.name, field });
      break;
    }
  }
  return suggestions;
}
