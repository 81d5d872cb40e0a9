import type { ImportMapping } from './import-mapping';
import { lptrackerTargetProblems } from './lptracker-target';

const PROJECTS = [
  { id: 1, name: 'Окна', fields: [{ field: 'lead.custom.11', name: 'Бюджет' }] },
  { id: 2, name: 'Двери', fields: [{ field: 'contact.field.5', name: 'Должность' }] },
];

function mapping(columns: Record<string, string>, projectId?: number | null): ImportMapping {
  return {
    kind: 'leads',
    target: 'lptracker',
    columns: Object.entries(columns).map(([column, field]) => ({ column, field })),
    dedupe: 'skip',
    dryRun: false,
    ...(projectId === undefined ? {} : { projectId }),
  };
}

const codes = (errors: { field: string; code?: string }[]) => errors.map((e) => [e.field, e.code]);

describe('lptrackerTargetProblems', () => {
  it('several projects: projectId is required; an unknown one is refused naming projectId', () => {
    expect(codes(lptrackerTargetProblems(mapping({ Т: 'contact.phone' }), PROJECTS))).toEqual([
      ['projectId', 'required'],
    ]);
    expect(codes(lptrackerTargetProblems(mapping({ Т: 'contact.phone' }, 3), PROJECTS))).toEqual([
      ['projectId', 'unknownProject'],
    ]);
    expect(codes(lptrackerTargetProblems(mapping({ Т: 'contact.phone' }, 3), []))).toEqual([
      ['projectId', 'unknownProject'],
    ]);
  });

  it("the custom fields must be the chosen project's (the only one when projectId is absent)", () => {
    const columns = { Т: 'contact.phone', Б: 'lead.custom.11', Д: 'contact.field.5' };
    expect(codes(lptrackerTargetProblems(mapping(columns, 2), PROJECTS))).toEqual([
      ['columns.Б', 'unknownField'],
    ]);
    expect(codes(lptrackerTargetProblems(mapping(columns, 1), PROJECTS))).toEqual([
      ['columns.Д', 'unknownField'],
    ]);
    expect(codes(lptrackerTargetProblems(mapping(columns), [PROJECTS[1]]))).toEqual([
      ['columns.Б', 'unknownField'],
    ]);
    expect(
      lptrackerTargetProblems(mapping({ Т: 'contact.phone', Д: 'contact.field.5' }, 2), PROJECTS),
    ).toEqual([]);
  });

  it('nothing enabled and no projectId, or target amocrm: no problem here', () => {
    expect(lptrackerTargetProblems(mapping({ Б: 'lead.custom.11' }), [])).toEqual([]);
    expect(
      lptrackerTargetProblems({ ...mapping({ Б: 'lead.custom.11' }), target: 'amocrm' }, PROJECTS),
    ).toEqual([]);
  });
});
