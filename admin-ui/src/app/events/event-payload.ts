import type { JsonValue } from './events.models';

/** How a webhook body is shown: decoded form fields, pretty JSON, or the text as it came. */
export type PayloadKind = 'form' | 'json' | 'text' | 'base64';

export interface PrettyPayload {
  kind: PayloadKind;
  text: string;
}

const MAX_FORM_FIELDS = 5_000;

/** `a%5Bb%5D=1+2` → `a[b] = 1 2`; a broken escape is kept as it came. */
function decodeFormPart(part: string): string {
  const spaced = part.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** A form-encoded body as `key = value` lines, in the order the fields came. */
export function formLines(body: string): string {
  return body
    .split('&')
    .filter((pair) => pair !== '')
    .slice(0, MAX_FORM_FIELDS)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at === -1
        ? decodeFormPart(pair)
        : `${decodeFormPart(pair.slice(0, at))} = ${decodeFormPart(pair.slice(at + 1))}`;
    })
    .join('\n');
}

function looksLikeForm(body: string): boolean {
  return /^[^=&\s{[]+=[^\s]*(&[^=&\s]+=[^\s]*)*$/.test(body.trim());
}

function parseJson(body: string): JsonValue | undefined {
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * The raw body made readable: form-encoded bodies (amoCRM's webhooks) as decoded `key = value` lines,
 * JSON pretty-printed, anything else unchanged.
 */
export function prettyPayload(
  rawBody: string,
  contentType: string,
  encoding: 'utf8' | 'base64' = 'utf8',
): PrettyPayload {
  if (encoding === 'base64') {
    return { kind: 'base64', text: rawBody };
  }
  const type = contentType.toLowerCase();
  const trimmed = rawBody.trim();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = parseJson(rawBody);
    if (parsed !== undefined) {
      return { kind: 'json', text: JSON.stringify(parsed, null, 2) };
    }
  }
  if (type.includes('x-www-form-urlencoded') || (type === '' && looksLikeForm(rawBody))) {
    return { kind: 'form', text: formLines(trimmed) };
  }
  return { kind: 'text', text: rawBody };
}

/** Any JSON value as lines of `path = value` (`changes[0].id = 31`), for the parsed changes. */
export function flattenJson(value: JsonValue, prefix = '', lines: string[] = [], limit = 2_000): string[] {
  if (lines.length >= limit) {
    return lines;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${prefix || '(root)'} = []`);
    }
    value.forEach((item, index) => flattenJson(item, `${prefix}[${index}]`, lines, limit));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) {
      lines.push(`${prefix || '(root)'} = {}`);
    }
    for (const [key, item] of entries) {
      flattenJson(item, prefix ? `${prefix}.${key}` : key, lines, limit);
    }
  } else {
    lines.push(`${prefix || '(root)'} = ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines;
}

export interface ChangeItem {
  /** e.g. `lead · update · 31` when the change names them. */
  title: string | null;
  lines: { key: string; value: string }[];
}

function isEmpty(value: JsonValue): boolean {
  return (
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

function titleOf(item: Record<string, JsonValue>): string | null {
  const parts = ['entity', 'entityType', 'type', 'action', 'id']
    .map((key) => item[key])
    .filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
    .map(String);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/**
 * The parsed changes of an event as readable blocks: one per change (for a list, or `{changes: [...]}`),
 * with its non-empty fields as `path = value` lines. `fields` (the raw copy of the payload) is left out:
 * the payload is shown on its own.
 */
export function changeItems(changes: JsonValue | null): ChangeItem[] {
  if (changes === null || changes === undefined) {
    return [];
  }
  const list = Array.isArray(changes)
    ? changes
    : typeof changes === 'object' && Array.isArray(changes['changes'])
      ? changes['changes']
      : [changes];
  return list.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { title: null, lines: flattenJson(item).map((line) => splitLine(line)) };
    }
    const lines: { key: string; value: string }[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (key === 'fields' || isEmpty(value)) {
        continue;
      }
      lines.push(...flattenJson(value, key).map((line) => splitLine(line)));
    }
    return { title: titleOf(item), lines };
  });
}

function splitLine(line: string): { key: string; value: string } {
  const at = line.indexOf(' = ');
  return at === -1 ? { key: line, value: '' } : { key: line.slice(0, at), value: line.slice(at + 3) };
}
