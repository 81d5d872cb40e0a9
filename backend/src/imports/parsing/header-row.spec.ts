import { columnsOf, detectHeaderRow } from './header-row';

describe('header row and column names', () => {
  it('finds the header below a title and blank lines, not a numeric data row', () => {
    expect(
      detectHeaderRow([['Отчёт за ноябрь'], [], ['Имя', 'Телефон', 'Сумма'], ['Анна', '+7916', 5]]),
    ).toBe(2);
    expect(
      detectHeaderRow([
        ['Имя', 'Телефон'],
        ['Анна', '89161234567'],
      ]),
    ).toBe(0);
    expect(
      detectHeaderRow([
        [1, 2, 3],
        ['Имя', 'Телефон', 'Город'],
        ['a', 'b', 'c'],
      ]),
    ).toBe(1);
    expect(detectHeaderRow([])).toBe(0);
  });

  it('names empty, repeated and prototype-like headers so none is a special key', () => {
    const columns = columnsOf(
      ['Имя', '', 'имя', '__proto__', 'constructor', 'prototype', '  Телефон  '],
      [[1, 2, 3, 4, 5, 6, 7, 8]],
    );
    expect(columns.map((c) => c.name)).toEqual([
      'Имя',
      'Столбец B',
      'имя (2)',
      '__proto__ (столбец D)',
      'constructor (столбец E)',
      'prototype (столбец F)',
      'Телефон',
      'Столбец H',
    ]);
    expect(columns[7]).toEqual({ index: 7, letter: 'H', name: 'Столбец H' });
  });

  it('cuts long names', () => {
    expect(columnsOf(['я'.repeat(500)], [])[0].name).toHaveLength(100);
  });
});
