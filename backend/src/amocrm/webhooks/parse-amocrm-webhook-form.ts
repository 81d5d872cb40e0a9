import { WebhookParseError } from './webhook-parse.error';

/**
 * The body of an amoCRM webhook: `application/x-www-form-urlencoded` with PHP-style nested keys
 * (`leads[status][0][id]=1&account[subdomain]=demo`), parsed into plain data.
 *
 * - Objects have no prototype (`Object.create(null)`), and `__proto__`, `constructor` and `prototype` are refused
 *   anywhere in a key path, so nothing in a body can reach an object's prototype.
 * - Bounded: body size, number of keys, depth of a key path, length of a key.
 * - An object whose keys are all indexes (`[0]`, `[2]`, `[5]`) becomes an array of its items in index order; gaps
 *   collapse instead of leaving holes (custom-field indexes skip numbers, and an index such as `[999999999]` must
 *   not make a huge array). `linked_leads_id` keeps its keys: they are lead ids, not positions.
 * - Values stay strings as sent (`custom_fields[0][values][0]=1542067200` is a bare string item).
 */

export type WebhookFormValue = string | WebhookFormValue[] | WebhookFormObject;
export interface WebhookFormObject {
  [key: string]: WebhookFormValue;
}
/** The parsed body: `{leads?: {status?: [...]}, contacts?: …, account?: {id, subdomain, _links}}`. */
export type AmocrmWebhookPayload = WebhookFormObject;

export interface WebhookFormLimits {
  maxBytes: number;
  maxKeys: number;
  /** Components of one key path: `leads[status][0][id]` has 4. */
  maxDepth: number;
  maxKeyLength: number;
}

export const WEBHOOK_FORM_LIMITS: Readonly<WebhookFormLimits> = {
  maxBytes: 1024 * 1024,
  maxKeys: 5000,
  maxDepth: 8,
  maxKeyLength: 512,
};

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/** Objects under these keys are keyed by entity id and never turned into arrays. */
const ID_KEYED = new Set(['linked_leads_id']);
const KEY_PATTERN = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const INDEX = /^(?:0|[1-9]\d{0,8})$/;

export function parseAmocrmWebhookForm(
  rawBody: Buffer | string,
  limits: Partial<WebhookFormLimits> = {},
): AmocrmWebhookPayload {
  const bounds = { ...WEBHOOK_FORM_LIMITS, ...limits };
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.length;
  if (size > bounds.maxBytes)
    throw new WebhookParseError('too_large', `the body is larger than ${bounds.maxBytes} bytes`);
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');

  const root = emptyObject();
  let keys = 0;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    keys += 1;
    if (keys > bounds.maxKeys)
      throw new WebhookParseError('too_many_keys', `the body has more than ${bounds.maxKeys} keys`);
    const equals = pair.indexOf('=');
    const rawKey = equals === -1 ? pair : pair.slice(0, equals);
    if (rawKey.length > bounds.maxKeyLength * 3)
      throw new WebhookParseError('key_too_long', 'a key is too long');
    const key = decodeFormComponent(rawKey);
    if (key.length > bounds.maxKeyLength)
      throw new WebhookParseError('key_too_long', `a key is longer than ${bounds.maxKeyLength} characters`);
    const value = equals === -1 ? '' : decodeFormComponent(pair.slice(equals + 1));
    insert(root, keyPath(key, bounds.maxDepth), value);
  }
  return finalise(root, null) as AmocrmWebhookPayload;
}

/** `leads[status][0][id]` → `['leads', 'status', '0', 'id']`; `[]` appends. */
function keyPath(key: string, maxDepth: number): string[] {
  const match = KEY_PATTERN.exec(key);
  if (!match)
    throw new WebhookParseError('malformed_key', `malformed key ${JSON.stringify(key.slice(0, 80))}`);
  const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1])];
  if (path.length > maxDepth)
    throw new WebhookParseError('too_deep', `a key is nested deeper than ${maxDepth} levels`);
  for (const part of path) {
    if (FORBIDDEN.has(part))
      throw new WebhookParseError('forbidden_key', `the key part "${part}" is not allowed`);
  }
  return path;
}

type Node = { [key: string]: Node | string };

function insert(root: Node, path: string[], value: string): void {
  let node = root;
  path.forEach((rawPart, index) => {
    const part = rawPart === '' ? String(nextIndex(node)) : rawPart;
    const last = index === path.length - 1;
    const existing = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
    if (last) {
      if (existing !== undefined && typeof existing !== 'string') throw conflict(path);
      node[part] = value;
      return;
    }
    if (existing === undefined) {
      const child = emptyObject();
      node[part] = child;
      node = child;
    } else if (typeof existing === 'string') {
      throw conflict(path);
    } else {
      node = existing;
    }
  });
}

function nextIndex(node: Node): number {
  let next = 0;
  for (const key of Object.keys(node)) if (INDEX.test(key)) next = Math.max(next, Number(key) + 1);
  return next;
}

function finalise(node: Node | string, parentKey: string | null): WebhookFormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (
    keys.length > 0 &&
    (parentKey === null || !ID_KEYED.has(parentKey)) &&
    keys.every((key) => INDEX.test(key))
  ) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finalise(node[String(index)], parentKey));
  }
  const object = emptyObject() as WebhookFormObject;
  for (const key of keys) object[key] = finalise(node[key], key);
  return object;
}

function emptyObject(): Node {
  return Object.create(null) as Node;
}

function conflict(path: string[]): WebhookParseError {
  return new WebhookParseError(
    'conflicting_keys',
    `the key ${path[0]}[${path.slice(1).join('][')}] is used both as a value and as a group`,
  );
}

/** Form decoding: `+` is a space; a malformed `%` sequence is kept as sent instead of failing the body. */
function decodeFormComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
