/** `phone:+<E.164 digits>`: kept as a number (exact up to 15 digits, as E.164 allows). */
const PHONE_KEY = /^phone:\+([1-9]\d{0,14})$/;

/**
 * The first row of the file with each identity key (staging marks later rows with the same key as its repeats).
 * Holds a key per distinct row of the file: phone keys — the usual case — are kept as numbers, about half the memory
 * of their strings (~45 MB instead of ~93 MB of heap for a million phones); other keys as they are.
 */
export class FirstRowByKey {
  private readonly phones = new Map<number, number>();
  private readonly others = new Map<string, number>();

  /** The earlier row with `key`, or null when `row` is the first (it is remembered as such). */
  firstOf(key: string, row: number): number | null {
    const phone = PHONE_KEY.exec(key);
    if (phone) return remember(this.phones, Number(phone[1]), row);
    return remember(this.others, key, row);
  }
}

function remember<K>(map: Map<K, number>, key: K, row: number): number | null {
  const first = map.get(key);
  if (first !== undefined) return first;
  map.set(key, row);
  return null;
}
