import type { LptrackerProjectMetadata } from '../lptracker/metadata/lptracker-metadata.types';
import type { RuleMetadata } from '../sync/rules/rule-fields';
import { validateRuleBody } from '../sync/rules/rule-validate';
import { AMOCRM_META, LPTRACKER_META, RULE_META } from '../sync/rules/testing/rule-test-metadata';
import { brokenRuleCheck } from './broken-rule-words';

/** A rule saved against the full test metadata (it passes then), as the alert check reads it later. */
function saved(conditions: unknown[], actions: unknown[]) {
  const body = {
    name: 'Правило',
    enabled: true,
    priority: 1,
    trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
    conditions: { all: conditions },
    actions: actions.length > 0 ? actions : [{ type: 'add_tags', tags: ['x'] }],
  };
  const { document, errors } = validateRuleBody(body, RULE_META);
  expect(errors).toEqual([]);
  return document!;
}

const amocrm = (over: Partial<typeof AMOCRM_META>): RuleMetadata => ({
  ...RULE_META,
  amocrm: { ...AMOCRM_META, ...over },
});
const lptracker = (over: Partial<LptrackerProjectMetadata>): RuleMetadata => ({
  ...RULE_META,
  lptracker: [{ ...LPTRACKER_META, ...over }],
});
/** What the repository answers: every cached project, the enabled one too. */
const SNAPSHOTS = [LPTRACKER_META];

function detailOf(
  conditions: unknown[],
  actions: unknown[],
  meta: RuleMetadata,
  turnedOff = SNAPSHOTS,
): string {
  const broken = brokenRuleCheck(saved(conditions, actions), meta, turnedOff);
  expect(broken).not.toBeNull();
  return broken!.detail;
}

const NO_LPTRACKER: RuleMetadata = { ...RULE_META, lptracker: [] };

describe('the words of the "rule broken" alert, by cause', () => {
  it('passes a rule the metadata still has', () => {
    expect(
      brokenRuleCheck(saved([{ field: 'lead.custom.100', op: 'empty' }], []), RULE_META, SNAPSHOTS),
    ).toBeNull();
  });

  it('tells a turned-off LPTracker project, not a deleted field, for its stage and fields', () => {
    const detail = detailOf(
      [{ field: 'lptracker.custom.901', op: 'eq', value: 'Опт' }],
      [
        { type: 'move_stage', system: 'lptracker', stageId: 61 },
        { type: 'update_lptracker_lead', stageId: null, custom: [{ fieldId: 900, value: 'x' }] },
      ],
      NO_LPTRACKER,
    );
    expect(detail).toBe(
      'Ошибок: 3. В LPTracker отключили проект, который указан в правиле. ' +
        'Включите проект снова в подключении LPTracker или откройте правило и выберите другой проект.',
    );
  });

  it('tells a turned-off project named by find_or_create_lead even with no metadata of it kept', () => {
    const action = {
      type: 'find_or_create_lead',
      pipelineId: null,
      statusId: null,
      responsibleUserId: null,
      nameTemplate: null,
      mappingProjectId: 77,
    };
    expect(detailOf([], [action], NO_LPTRACKER, [])).toContain('В LPTracker отключили проект');
  });

  it('tells a deleted field of amoCRM and of LPTracker (the project still on)', () => {
    const amoField = detailOf(
      [{ field: 'lead.custom.100', op: 'empty' }],
      [],
      amocrm({ leadFields: AMOCRM_META.leadFields.filter((f) => f.id !== 100) }),
    );
    expect(amoField).toBe(
      'Ошибок: 1. В amoCRM удалили поле, которое есть в правиле. Откройте правило и выберите другое.',
    );
    const lpField = detailOf(
      [{ field: 'lptracker.custom.900', op: 'empty' }],
      [],
      lptracker({ customs: LPTRACKER_META.customs.filter((f) => f.id !== 900) }),
      [lptracker({ customs: LPTRACKER_META.customs.filter((f) => f.id !== 900) }).lptracker[0]],
    );
    expect(lpField).toContain('В LPTracker удалили поле, которое есть в правиле.');
  });

  it('tells a deleted option of a list', () => {
    const channel = AMOCRM_META.leadFields.find((f) => f.id === 103)!;
    const detail = detailOf(
      [{ field: 'lead.custom.103', op: 'eq', value: 1031 }],
      [],
      amocrm({
        leadFields: AMOCRM_META.leadFields.map((f) =>
          f.id === 103 ? { ...channel, enums: channel.enums!.filter((e) => e.id !== 1031) } : f,
        ),
      }),
    );
    expect(detail).toContain('удалили вариант списка, который выбран в правиле.');
  });

  it('tells a deleted pipeline, a deleted stage of amoCRM and a deleted stage of LPTracker', () => {
    const toVip = [{ type: 'move_stage', system: 'amocrm', pipelineId: 2, statusId: 21 }];
    expect(detailOf([], toVip, amocrm({ pipelines: AMOCRM_META.pipelines.slice(0, 1) }))).toContain(
      'В amoCRM удалили воронку, которая указана в правиле.',
    );
    const paid = [{ type: 'move_stage', system: 'amocrm', pipelineId: 1, statusId: 12 }];
    const [main, vip] = AMOCRM_META.pipelines;
    expect(
      detailOf([], paid, amocrm({ pipelines: [{ ...main, statuses: main.statuses.slice(0, 1) }, vip] })),
    ).toContain('В amoCRM удалили этап воронки, который указан в правиле.');
    const sale = [{ type: 'move_stage', system: 'lptracker', stageId: 62 }];
    const fewer = lptracker({ funnel: LPTRACKER_META.funnel.slice(0, 1) });
    expect(detailOf([], sale, fewer, fewer.lptracker)).toContain(
      'В LPTracker удалили этап, который указан в правиле.',
    );
  });

  it('tells a user who is gone', () => {
    const task = { type: 'create_task', text: 'Перезвонить', dueInHours: 2, responsibleUserId: 8 };
    expect(detailOf([], [task], amocrm({ users: AMOCRM_META.users.slice(0, 1) }))).toBe(
      'Ошибок: 1. Пользователя amoCRM, который указан в правиле, больше нет. Откройте правило и выберите другое.',
    );
  });

  it('tells a field whose type changed, and each cause once when there are several', () => {
    const detail = detailOf(
      [
        { field: 'lead.custom.101', op: 'gt', value: 5 },
        { field: 'lead.custom.100', op: 'empty' },
        { field: 'lead.custom.102', op: 'empty' },
      ],
      [{ type: 'move_stage', system: 'lptracker', stageId: 61 }],
      {
        amocrm: {
          ...AMOCRM_META,
          leadFields: AMOCRM_META.leadFields
            .filter((f) => f.id !== 100 && f.id !== 102)
            .map((f) => (f.id === 101 ? { ...f, type: 'text' } : f)),
        },
        lptracker: [],
      },
    );
    expect(detail).toBe(
      'Ошибок: 4. В amoCRM изменили поле, и условие правила к нему больше не подходит. ' +
        'В amoCRM удалили поле, которое есть в правиле. В LPTracker отключили проект, который указан в правиле. ' +
        'Откройте правило и выберите другое.',
    );
  });
});
