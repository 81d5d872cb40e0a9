import { amoMeta, emptyDocument, lead, lptMeta } from '../../../test/support/mapping-fixtures';
import {
  linesTouched,
  planAmocrmWrite,
  planLptrackerWrite,
  sourceFieldsOfUpdate,
  type AmoLeadSnapshot,
} from './mapping-apply';
import type { MappingDocument } from './mapping.types';

const meta = () => ({ amocrm: amoMeta(), lptracker: lptMeta() });

function document(): MappingDocument {
  return emptyDocument({
    lines: [
      { source: 'contact.name', target: 'contact.name', transform: { type: 'trim' } },
      { source: 'contact.phone', target: 'contact.phone', transform: { type: 'none' } },
      { source: 'contact.email', target: 'contact.email', transform: { type: 'lowercase' } },
      { source: 'view.source', target: 'lead.custom.600', transform: { type: 'none' } },
      {
        source: 'lead.custom.31',
        target: 'lead.custom.602',
        transform: { type: 'enum_map', map: [{ from: 'Казань', to: 7002 }] },
      },
      { source: 'lead.custom.33', target: 'lead.custom.603', transform: { type: 'date', format: 'unix' } },
      {
        source: null,
        target: 'lead.name',
        transform: { type: 'template', template: '{lead.name} — {view.source}' },
      },
      { source: null, target: 'lead.tags', transform: { type: 'constant', value: 'LPTracker' } },
    ],
    stageMap: [{ lptrackerStageId: 2, amocrmPipelineId: 100, amocrmStatusId: 1002 }],
    userMap: [{ lptrackerOwnerId: 900, amocrmUserId: 11 }],
  });
}

describe('planAmocrmWrite', () => {
  it('maps contact, lead fields, custom fields with transforms, the stage and the owner', () => {
    const plan = planAmocrmWrite(document(), lead(), meta());
    expect(plan.problems).toEqual([]);
    expect(plan.contact).toEqual({
      name: 'Ольга',
      phones: ['+79161234567', '+79031112233'],
      emails: ['olga@example.com'],
      customFields: [],
    });
    expect(plan.lead).toMatchObject({
      name: 'Заявка с сайта — yandex',
      tags: ['LPTracker'],
      pipelineId: 100,
      statusId: 1002,
      responsibleUserId: 11,
    });
    expect(plan.lead.customFields).toEqual([
      { fieldId: 600, values: [{ value: 'yandex' }] },
      { fieldId: 602, values: [{ enumId: 7002 }] },
      // 13.05.17 01:08:14 Moscow time = 12.05.2017 22:08:14 UTC
      { fieldId: 603, values: [{ value: Date.UTC(2017, 4, 12, 22, 8, 14) / 1000 }] },
    ]);
    expect(plan.written.map((entry) => entry.target)).toEqual([
      'lead.status',
      'lead.responsible',
      'contact.name',
      'contact.phone',
      'contact.email',
      'lead.custom.600',
      'lead.custom.602',
      'lead.custom.603',
      'lead.name',
      'lead.tags',
    ]);
  });

  it('lists a field deleted in amoCRM, an option gone and a stage gone as problems, never silently', () => {
    const amocrm = amoMeta();
    amocrm.leadFields = amocrm.leadFields.filter((field) => field.id !== 600);
    amocrm.leadFields[1].enums = [{ id: 7001, value: 'Москва', sort: 1 }];
    amocrm.pipelines[0].statuses = amocrm.pipelines[0].statuses.filter((status) => status.id !== 1002);
    const doc = document();
    doc.lines[4].transform = { type: 'none' };
    const plan = planAmocrmWrite(doc, lead(), { amocrm, lptracker: lptMeta() });
    expect(plan.problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['stageMap[0].amocrmStatusId', 'statusMissing'],
      ['lines[3].target', 'fieldMissing'],
      ['lines[4].target', 'enumOptionMissing'],
    ]);
    expect(plan.lead.statusId).toBeNull();
    expect(plan.written.map((entry) => entry.line)).not.toContain(3);
  });

  it('reports a value the enum map does not know, text into a number field and an unparsable date', () => {
    const doc = emptyDocument({
      lines: [
        {
          source: 'view.keyword',
          target: 'lead.custom.602',
          transform: { type: 'enum_map', map: [{ from: 'x', to: 1 }] },
        },
        { source: 'view.campaign', target: 'lead.custom.601', transform: { type: 'none' } },
        { source: 'view.source', target: 'lead.custom.603', transform: { type: 'date', format: 'unix' } },
      ],
    });
    const plan = planAmocrmWrite(doc, lead(), meta());
    expect(plan.problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['lines[0].transform', 'enumNoMatch'],
      ['lines[1].target', 'typeMismatch'],
      ['lines[2].transform', 'notADate'],
    ]);
    expect(plan.lead.customFields).toEqual([]);
  });

  it('writes nothing for an empty source, and treats an unknown source ref as a problem', () => {
    const doc = emptyDocument({
      lines: [
        { source: 'view.keyword', target: 'lead.custom.600', transform: { type: 'none' } },
        { source: 'lead.bogus', target: 'lead.name', transform: { type: 'none' } },
      ],
    });
    const plan = planAmocrmWrite(
      doc,
      lead({ view: { source: null, campaign: null, keyword: null } }),
      meta(),
    );
    expect(plan.lead.customFields).toEqual([]);
    expect(plan.problems).toEqual([
      { path: 'lines[1].source', code: 'unknownField', message: expect.any(String) },
    ]);
  });

  it('maps the lead date (as LPTracker sends it) into an amoCRM date field', () => {
    const doc = emptyDocument({
      lines: [
        { source: 'lead.created_at', target: 'lead.custom.603', transform: { type: 'date', format: 'unix' } },
      ],
    });
    const plan = planAmocrmWrite(doc, lead({ createdAt: '05.12.26 10:15:00' }), meta());
    expect(plan.problems).toEqual([]);
    const unix = plan.lead.customFields[0]?.values[0]?.value;
    // 10:15 Moscow time (UTC+3) on 5 December 2026
    expect(unix).toBe(Date.UTC(2026, 11, 5, 7, 15, 0) / 1000);
  });

  it('with `only`, applies just the lines and maps an update touched', () => {
    const only = sourceFieldsOfUpdate(['custom.31']);
    const plan = planAmocrmWrite(document(), lead(), meta(), { only });
    expect(plan.written.map((entry) => entry.target)).toEqual(['lead.custom.602']);
    expect(plan.lead.statusId).toBeNull();
    expect(plan.contact.phones).toEqual([]);
    const staged = planAmocrmWrite(document(), lead(), meta(), { only: sourceFieldsOfUpdate(['stage']) });
    expect(staged.written).toEqual([
      { line: -1, source: 'lead.stage', target: 'lead.status', via: 'stageMap' },
    ]);
  });
});

describe('sourceFieldsOfUpdate and linesTouched', () => {
  it('turns LPTracker update field names into source refs', () => {
    expect(sourceFieldsOfUpdate(['stage_id', 'custom.123', 'custom_7', 'payments', 'owner'])).toEqual([
      'lead.stage',
      'lead.custom.123',
      'lead.custom.7',
      'lead.owner',
    ]);
    expect(sourceFieldsOfUpdate(['contact'])).toEqual([
      'contact.name',
      'contact.phone',
      'contact.email',
      'contact.field.*',
    ]);
    expect(sourceFieldsOfUpdate(['view'])).toEqual(['view.source', 'view.campaign', 'view.keyword']);
    expect(sourceFieldsOfUpdate(['payments', 'calls'])).toEqual([]);
  });

  it('finds the lines whose source, or template placeholder, was touched', () => {
    expect(linesTouched(document(), ['view.source'])).toEqual([3, 6]);
    expect(linesTouched(document(), ['lead.custom.*'])).toEqual([4, 5]);
    expect(linesTouched(document(), ['lead.stage'])).toEqual([]);
  });
});

describe('planLptrackerWrite', () => {
  const amoLead = (overrides: Partial<AmoLeadSnapshot> = {}): AmoLeadSnapshot => ({
    name: 'Сделка',
    price: 1500,
    pipelineId: 100,
    statusId: 1002,
    responsibleUserId: 11,
    tags: [],
    customFields: [{ fieldId: 602, values: [{ enumId: 7001 }] }],
    contact: null,
    ...overrides,
  });
  const reverse = (): MappingDocument =>
    emptyDocument({
      lines: [
        { source: 'lead.custom.602', target: 'lead.custom.31', transform: { type: 'none' } },
        {
          source: 'lead.price',
          target: 'lead.custom.32',
          transform: { type: 'enum_map', map: [{ from: '1500', to: 'премиум' }] },
        },
        { source: 'lead.name', target: 'lead.name', transform: { type: 'none' } },
      ],
      stageMap: [
        { lptrackerStageId: 1, amocrmPipelineId: 100, amocrmStatusId: 1001 },
        { lptrackerStageId: 2, amocrmPipelineId: 100, amocrmStatusId: 1002 },
      ],
      userMap: [{ lptrackerOwnerId: 900, amocrmUserId: 11 }],
    });

  it('maps the status through the stage map, the user, custom fields (options by text) and the name', () => {
    const plan = planLptrackerWrite(reverse(), amoLead(), meta());
    expect(plan).toMatchObject({
      stageId: 2,
      ownerId: 900,
      name: 'Сделка',
      custom: { '31': 'Москва', '32': 'Премиум' },
    });
    expect(plan.problems).toEqual([]);
  });

  it('lists a stage gone from LPTracker and an option that is not there', () => {
    const lptracker = lptMeta();
    lptracker.funnel = [{ id: 1, name: 'Новый' }];
    const plan = planLptrackerWrite(reverse(), amoLead({ price: 10 }), { amocrm: amoMeta(), lptracker });
    expect(plan.problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['stageMap[1].lptrackerStageId', 'stageMissing'],
      ['lines[1].transform', 'enumNoMatch'],
    ]);
    expect(plan.stageId).toBeNull();
  });

  it('with `only: lead.status`, writes just the stage', () => {
    const plan = planLptrackerWrite(reverse(), amoLead(), meta(), { only: ['lead.status'] });
    expect(plan).toMatchObject({ stageId: 2, ownerId: null, name: null, custom: {} });
  });
});
