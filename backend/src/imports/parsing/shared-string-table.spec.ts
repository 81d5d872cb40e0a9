import { SharedStringTable } from './shared-string-table';

describe('SharedStringTable', () => {
  it('gives back every string by its index after growing many times (UTF-8, empty strings)', () => {
    const table = new SharedStringTable();
    const texts = Array.from({ length: 50_000 }, (_, i) =>
      i % 5 === 0 ? '' : `${i}: ${'ёж'.repeat(i % 11)} ✓ ${'x'.repeat(i % 97)}`,
    );
    for (const text of texts) table.add(text);
    expect(table.size).toBe(texts.length);
    for (let i = 0; i < texts.length; i += 1) expect(table.get(i)).toBe(texts[i]);
  });

  it('answers null for an index the workbook has no string at', () => {
    const table = new SharedStringTable();
    table.add('a');
    expect([table.get(-1), table.get(1), table.get(0.5), table.get(Number.NaN)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
