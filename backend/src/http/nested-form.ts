import { isPrototypeKey } from './prototype-keys';
/**
 * `application/x-www-form-urlencoded` with PHP-style nested keys (`leads[status][0][id]=1&account[subdomain]=demo`,
 * `filter[id][]=2`), parsed into plain data: the one parser of this format, for webhook bodies (amoCRM's, on the
 * hot path) and for the amoCRM sandbox's query strings and form bodies.
 *
 * - Objects have no prototype (`Object.create(null)`), and `__proto__`, `constructor` and `prototype` are refused
 *   anywhere in a key path, so nothing in a body can reach an object's prototype.
 * - Bounded: body size, number of keys, depth of a key path, length of a key.
 * - An object whose keys are all indexes (`[0]`, `[2]`, `[5]`) becomes an array of its items in index order; gaps
 *   collapse instead of leaving holes (an index such as `[999999999]` must not make a huge array). Groups named in
 *   `keyedGroups` keep their keys (amoCRM's `linked_leads_id` is keyed by lead id), and `arrays: false` keeps every
 *   group an object, as PHP does.
 * - Values stay strings as sent; `+` is a space; a malformed `%` sequence is kept as sent.
 * - A bad key (malformed, refused, too deep, used both as a value and as a group) refuses the whole body, or with
 *   `skipBadKeys` only its own pair.
 */

export type NestedFormValue = string | NestedFormValue[] | NestedFormObject;
export interface NestedFormObject {
  [key: string]: NestedFormValue;
}

export interface NestedFormLimits {
  maxBytes: number;
  maxKeys: number;
  /** Components of one key path: `leads[status][0][id]` has 4. */
  maxDepth: number;
  maxKeyLength: number;
}

export interface NestedFormOptions extends Partial<NestedFormLimits> {
  /** Groups under these keys are keyed by id, never turned into arrays. */
  keyedGroups?: ReadonlySet<string>;
  /** Index-keyed groups become arrays (default true). */
  arrays?: boolean;
  /** Drop a pair whose key is bad instead of refusing the body (the size and key-count caps still refuse it). */
  skipBadKeys?: boolean;
}

export const NESTED_FORM_LIMITS: Readonly<NestedFormLimits> = {
  maxBytes: 1024 * 1024,
  maxKeys: 5000,
  maxDepth: 8,
  maxKeyLength: 512,
};

export type FormParseErrorCode =
  | 'too_large'
  | 'too_many_keys'
  | 'too_deep'
  | 'key_too_long'
  | 'malformed_key'
  | 'forbidden_key'
  | 'conflicting_keys';

/** A form body refused: too large, too many keys, too deep, or a key that must never be used. */
export class FormParseError extends Error {
  constructor(
    readonly code: FormParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FormParseError';
  }
}

const NO_KEYED_GROUPS: ReadonlySet<string> = new Set();
const INDEX = /^(?:0|[1-9]\d{0,8})$/;

export function parseNestedForm(rawBody: Buffer | string, options: NestedFormOptions = {}): NestedFormObject {
  const bounds = limitsOf(options);
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.length;
  if (size > bounds.maxBytes)
    throw new FormParseError('too_large', `the body is larger than ${bounds.maxBytes} bytes`);
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');

  const root: Node = new Map();
  let keys = 0;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    keys += 1;
    if (keys > bounds.maxKeys)
      throw new FormParseError('too_many_keys', `the body has more than ${bounds.maxKeys} keys`);
    if (!options.skipBadKeys) addPair(root, pair, bounds);
    else
      try {
        addPair(root, pair, bounds);
      } catch (error) {
        if (!(error instanceof FormParseError)) throw error;
      }
  }
  return finalise(
    root,
    null,
    options.keyedGroups ?? NO_KEYED_GROUPS,
    options.arrays ?? true,
  ) as NestedFormObject;
}

/** The caps in force: the defaults unless the options change one (no copy then: this is the hot path). */
function limitsOf(options: NestedFormOptions): NestedFormLimits {
  if (
    options.maxBytes === undefined &&
    options.maxKeys === undefined &&
    options.maxDepth === undefined &&
    options.maxKeyLength === undefined
  )
    return NESTED_FORM_LIMITS;
  return {
    maxBytes: options.maxBytes ?? NESTED_FORM_LIMITS.maxBytes,
    maxKeys: options.maxKeys ?? NESTED_FORM_LIMITS.maxKeys,
    maxDepth: options.maxDepth ?? NESTED_FORM_LIMITS.maxDepth,
    maxKeyLength: options.maxKeyLength ?? NESTED_FORM_LIMITS.maxKeyLength,
  };
}

/**
 * Key paths already read, by key as sent, under the default limits: a source sends the same keys in every body
 * (`leads%5Bstatus%5D%5B0%5D%5Bid%5D`…), so decoding and splitting them once saves most of the parse. Only good
 * keys are kept (a refused key is read, and refused, every time), short ones only, and at most KEY_CACHE_SIZE of
 * them (the cache starts again when full, so no sender can grow it).
 */
const keyPaths = new Map<string, readonly string[]>();
const KEY_CACHE_SIZE = 4096;
const KEY_CACHE_MAX_LENGTH = 160;

function addPair(root: Node, pair: string, bounds: NestedFormLimits): void {
  const equals = pair.indexOf('=');
  const rawKey = equals === -1 ? pair : pair.slice(0, equals);
  const value = equals === -1 ? '' : decodeFormComponent(pair.slice(equals + 1));
  const cacheable = bounds === NESTED_FORM_LIMITS && rawKey.length <= KEY_CACHE_MAX_LENGTH;
  let path = cacheable ? keyPaths.get(rawKey) : undefined;
  if (path === undefined) {
    path = readKeyPath(rawKey, bounds);
    if (cacheable) {
      if (keyPaths.size >= KEY_CACHE_SIZE) keyPaths.clear();
      keyPaths.set(rawKey, path);
    }
  }
  insert(root, path, value);
}

function readKeyPath(rawKey: string, bounds: NestedFormLimits): readonly string[] {
  if (rawKey.length > bounds.maxKeyLength * 3) throw new FormParseError('key_too_long', 'a key is too long');
  const key = decodeFormComponent(rawKey);
  if (key.length > bounds.maxKeyLength)
    throw new FormParseError('key_too_long', `a key is longer than ${bounds.maxKeyLength} characters`);
  return keyPath(key, bounds.maxDepth);
}

/** `leads[status][0][id]` → `['leads', 'status', '0', 'id']`; `[]` appends. Scans by hand: this is the hot path. */
function keyPath(key: string, maxDepth: number): string[] {
  const open = key.indexOf('[');
  const head = open === -1 ? key : key.slice(0, open);
  if (head === '' || head.includes(']')) throw malformedKey(key);
  const path = [head];
  let at = open;
  while (at !== -1 && at < key.length) {
    if (key.charCodeAt(at) !== 0x5b /* [ */) throw malformedKey(key);
    const close = key.indexOf(']', at + 1);
    if (close === -1) throw malformedKey(key);
    const part = key.slice(at + 1, close);
    if (part.includes('[')) throw malformedKey(key);
    path.push(part);
    if (path.length > maxDepth)
      throw new FormParseError('too_deep', `a key is nested deeper than ${maxDepth} levels`);
    at = close + 1;
  }
  for (const part of path) {
    if (isPrototypeKey(part))
      throw new FormParseError('forbidden_key', `the key part "${part}" is not allowed`);
  }
  return path;
}

function malformedKey(key: string): FormParseError {
  return new FormParseError('malformed_key', `malformed key ${JSON.stringify(key.slice(0, 80))}`);
}

/** The tree while parsing: Maps (fast to grow, and no key can reach a prototype); `finalise` makes it plain data. */
type Node = Map<string, Node | string>;

function insert(root: Node, path: readonly string[], value: string): void {
  let node = root;
  const last = path.length - 1;
  for (let index = 0; index <= last; index++) {
    const part = path[index] === '' ? String(nextIndex(node)) : path[index];
    const existing = node.get(part);
    if (index === last) {
      if (existing !== undefined && typeof existing !== 'string') throw conflict(path);
      node.set(part, value);
      return;
    }
    if (existing === undefined) {
      const child: Node = new Map();
      node.set(part, child);
      node = child;
    } else if (typeof existing === 'string') {
      throw conflict(path);
    } else {
      node = existing;
    }
  }
}

function nextIndex(node: Node): number {
  let next = 0;
  for (const key of node.keys()) if (INDEX.test(key)) next = Math.max(next, Number(key) + 1);
  return next;
}

function finalise(
  node: Node | string,
  parentKey: string | null,
  keyedGroups: ReadonlySet<string>,
  arrays: boolean,
): NestedFormValue {
  if (typeof node === 'string') return node;
  let indexed = arrays && node.size > 0 && (parentKey === null || !keyedGroups.has(parentKey));
  if (indexed) for (const key of node.keys()) if (!INDEX.test(key)) indexed = false;
  if (indexed) {
    return [...node.keys()]
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finalise(node.get(String(index)) as Node | string, parentKey, keyedGroups, arrays));
  }
  const object = Object.create(null) as NestedFormObject;
  for (const [key, child] of node) object[key] = finalise(child, key, keyedGroups, arrays);
  return object;
}

function conflict(path: readonly string[]): FormParseError {
  return new FormParseError(
    'conflicting_keys',
    `the key ${path[0]}[${path.slice(1).join('][')}] is used both as a value and as a group`,
  );
}

/** Form decoding: `+` is a space; a malformed `%` sequence is kept as sent instead of failing the body. */
function decodeFormComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
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
