/** Escapes %, _ and \ for a LIKE pattern (MySQL and MariaDB use backslash as the default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
