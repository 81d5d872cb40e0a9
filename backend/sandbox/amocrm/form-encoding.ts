/**
 * `application/x-www-form-urlencoded` with PHP-style nested keys, as amoCRM's legacy webhooks
 * send it: `leads[status][0][id]=1&account[subdomain]=demo`.
 */

export type FormValue = string | number | boolean | null | FormValue[] | { [key: string]: FormValue };

/** Flattens nested objects and arrays into `[key, value]` pairs in insertion order. */
export function flattenForm(value: { [key: string]: FormValue }): [string, string][] {
  const pairs: [string, string][] = [];
  const walk = (prefix: string, node: FormValue): void => {
    if (node === null) {
      pairs.push([prefix, '']);
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => walk(`${prefix}[${index}]`, item));
    } else if (typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(`${prefix}[${key}]`, item);
    } else if (typeof node === 'boolean') {
      pairs.push([prefix, node ? '1' : '0']);
    } else {
      pairs.push([prefix, String(node)]);
    }
  };
  for (const [key, item] of Object.entries(value)) walk(key, item);
  return pairs;
}

export function encodeForm(value: { [key: string]: FormValue }): string {
  return new URLSearchParams(flattenForm(value)).toString();
}
