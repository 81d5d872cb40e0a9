import { sortRows } from './client-sort';

interface Row {
  name: string;
  users: number;
  lastUsed: string | null;
}

const ROWS: Row[] = [
  { name: 'Склад 10', users: 2, lastUsed: '2026-03-02T10:00:00.000Z' },
  { name: 'Склад 9', users: 12, lastUsed: null },
  { name: 'арбуз', users: 5, lastUsed: '2026-03-01T10:00:00.000Z' },
];
const VALUES = {
  name: (row: Row) => row.name,
  users: (row: Row) => row.users,
  lastUsed: (row: Row) => (row.lastUsed ? Date.parse(row.lastUsed) : null),
};

describe('sortRows', () => {
  it('keeps the order as loaded until a column is chosen, and for an unknown column', () => {
    expect(sortRows(ROWS, null, VALUES, 'ru-RU')).toEqual(ROWS);
    expect(sortRows(ROWS, { active: 'name', direction: '' }, VALUES, 'ru-RU')).toEqual(ROWS);
    expect(sortRows(ROWS, { active: 'constructor', direction: 'asc' }, VALUES, 'ru-RU')).toEqual(ROWS);
  });

  it('sorts texts as people read them (case aside, numbers in order) and numbers as numbers, both ways', () => {
    const names = (direction: 'asc' | 'desc') =>
      sortRows(ROWS, { active: 'name', direction }, VALUES, 'ru-RU').map((row) => row.name);
    expect(names('asc')).toEqual(['арбуз', 'Склад 9', 'Склад 10']);
    expect(names('desc')).toEqual(['Склад 10', 'Склад 9', 'арбуз']);
    const users = sortRows(ROWS, { active: 'users', direction: 'asc' }, VALUES, 'ru-RU').map(
      (row) => row.users,
    );
    expect(users).toEqual([2, 5, 12]);
  });

  it('puts blanks last in either direction', () => {
    const order = (direction: 'asc' | 'desc') =>
      sortRows(ROWS, { active: 'lastUsed', direction }, VALUES, 'ru-RU').map((row) => row.name);
    expect(order('asc')).toEqual(['арбуз', 'Склад 10', 'Склад 9']);
    expect(order('desc')).toEqual(['Склад 10', 'арбуз', 'Склад 9']);
  });
});
