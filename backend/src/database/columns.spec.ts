import { newId } from './columns';

describe('newId', () => {
  it('makes distinct version-7 UUIDs that sort by creation time, across refills of the random pool', () => {
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) ids.push(newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const sorted = [...ids].sort();
    // the first 48 bits are the time in milliseconds: a later id never sorts before an earlier millisecond
    const millis = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    for (let i = 1; i < sorted.length; i++)
      expect(millis(sorted[i])).toBeGreaterThanOrEqual(millis(sorted[i - 1]));
    expect(millis(ids[ids.length - 1])).toBeGreaterThanOrEqual(millis(ids[0]));
  });
});
