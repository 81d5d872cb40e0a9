import { FirstRowByKey } from './first-row-by-key';

describe('FirstRowByKey', () => {
  it('answers the first row of a key, null for a new one, phones and other keys apart', () => {
    const rows = new FirstRowByKey();
    expect(rows.firstOf('phone:+79161234567', 2)).toBeNull();
    expect(rows.firstOf('email:a@b.ru', 3)).toBeNull();
    expect(rows.firstOf('phone:+79161234567', 4)).toBe(2);
    expect(rows.firstOf('phone:+79161234568', 5)).toBeNull();
    expect(rows.firstOf('email:a@b.ru', 6)).toBe(3);
    // a key that only looks like a phone's digits is another key
    expect(rows.firstOf('79161234567', 7)).toBeNull();
    expect(rows.firstOf('79161234567', 8)).toBe(7);
  });

  it('keeps phones apart that differ in their last digit (15 digits, and longer ones), and call keys as they are', () => {
    const rows = new FirstRowByKey();
    expect(rows.firstOf('phone:+999999999999998', 2)).toBeNull();
    expect(rows.firstOf('phone:+999999999999999', 3)).toBeNull();
    expect(rows.firstOf('phone:+999999999999999', 4)).toBe(3);
    // longer than E.164 (not exact as a number): kept as text, apart
    expect(rows.firstOf('phone:+99999999999999998', 5)).toBeNull();
    expect(rows.firstOf('phone:+99999999999999999', 6)).toBeNull();
    expect(rows.firstOf('call:+79161234567|1764583200000|Анна', 7)).toBeNull();
    expect(rows.firstOf('call:+79161234567|1764583200000|Анна', 8)).toBe(7);
    expect(rows.firstOf('call:+79161234567|1764583200000|Олег', 9)).toBeNull();
  });
});
