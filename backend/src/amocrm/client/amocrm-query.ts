/** Query strings in amoCRM's PHP style: `filter[id][]=1&filter[statuses][0][status_id]=2&with=leads`. */

export type AmocrmQueryScalar = string | number | boolean;
export type AmocrmQueryValue =
  AmocrmQueryScalar | null | undefined | AmocrmQueryValue[] | { [key: string]: AmocrmQueryValue };
export type AmocrmQuery = Record<string, AmocrmQueryValue>;

/**
 * Encodes nested objects with brackets; arrays of scalars become `key[]=a&key[]=b`, arrays of objects are
 * indexed (`key[0][field]`); null and undefined are left out.
 */
export function encodeAmocrmQuery(query: AmocrmQuery): string {
  const pairs: string[] = [];
  const add = (key: string, value: AmocrmQueryScalar): void => {
    pairs.push(
      `${encodeKey(key)}=${encodeURIComponent(typeof value === 'boolean' ? (value ? '1' : '0') : String(value))}`,
    );
  };
  const walk = (key: string, value: AmocrmQueryValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      const scalars = value.every((item) => item === null || typeof item !== 'object');
      value.forEach((item, index) => walk(scalars ? `${key}[]` : `${key}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) walk(`${key}[${name}]`, item);
    } else {
      add(key, value);
    }
  };
  for (const [key, value] of Object.entries(query)) walk(key, value);
  return pairs.join('&');
}

/** Brackets stay readable (amoCRM and its logs show them so); everything else is percent-encoded. */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']');
}
