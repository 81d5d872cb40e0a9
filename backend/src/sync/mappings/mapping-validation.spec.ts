import { amoMeta, emptyDocument, lptMeta } from '../../../test/support/mapping-fixtures';
import { defaultDocument } from './mapping-defaults';
import { parseMappingDocument } from './mapping-shape';
import { checkDocument } from './mapping-validation';
import type { MappingDocument, MappingLine } from './mapping.types';

const meta = () => ({ amocrm: amoMeta(), lptracker: lptMeta() });
const line = (
  source: string | null,
  target: string,
  transform: MappingLine['transform'] = { type: 'none' },
) => ({
  source,
  target,
  transform,
});
const codes = (document: MappingDocument, direction = 'lptracker_to_amocrm' as const) =>
  checkDocument(document, direction, meta()).map((problem) => [problem.path, problem.code]);

describe('checkDocument', () => {
  it('accepts a mapping that fits both caches', () => {
    const document = emptyDocument({
      lines: [
        line('view.source', 'lead.custom.600'),
        line('view.campaign', 'lead.custom.601', { type: 'number' }),
        line('lead.custom.31', 'lead.custom.602', { type: 'enum_map', map: [{ from: 'Казань', to: 7002 }] }),
        line('lead.custom.33', 'lead.custom.603', { type: 'date', format: 'unix' }),
        line(null, 'lead.responsible', { type: 'constant', value: 11 }),
        line(null, 'lead.name', { type: 'template', template: '{contact.name} — {view.source}' }),
      ],
      pipelineId: 100,
      statusId: 1001,
      stageMap: [{ lptrackerStageId: 2, amocrmPipelineId: 100, amocrmStatusId: 1002 }],
      userMap: [{ lptrackerOwnerId: 900, amocrmUserId: 11 }],
    });
    expect(codes(document)).toEqual([]);
  });

  it('names each line that does not fit: type mismatch, options, users, statuses, template refs', () => {
    const document = emptyDocument({
      lines: [
        line('view.source', 'lead.custom.601'),
        line('view.source', 'lead.custom.603', { type: 'date', format: 'DD.MM.YYYY' }),
        line(null, 'lead.custom.602', { type: 'constant', value: 'Тверь' }),
        line(null, 'lead.responsible', { type: 'constant', value: 99 }),
        line('view.source', 'lead.price'),
        line(null, 'lead.name', { type: 'template', template: '{contact.nickname}' }),
        line('contact.field.999', 'contact.custom.501'),
        line('contact.field.41', 'lead.name'),
      ],
      pipelineId: 555,
      userMap: [{ lptrackerOwnerId: 1, amocrmUserId: 11 }],
    });
    expect(codes(document)).toEqual([
      ['lines[0].transform', 'typeMismatch'],
      ['lines[1].transform.format', 'typeMismatch'],
      ['lines[2].transform.value', 'enumOptionMissing'],
      ['lines[3].transform.value', 'userMissing'],
      ['lines[4].transform', 'typeMismatch'],
      ['lines[5].transform.template', 'unknownField'],
      ['lines[6].source', 'fieldMissing'],
      ['lines[7].source', 'notDelivered'],
      ['pipelineId', 'pipelineMissing'],
      ['userMap[0].lptrackerOwnerId', 'userMissing'],
    ]);
  });

  it('checks the amoCRM → LPTracker direction against what LPTracker can take', () => {
    const document = emptyDocument({
      lines: [
        line('lead.status', 'lead.stage', {
          type: 'enum_map',
          map: [{ from: 'Переговоры', to: 'Переговоры' }],
        }),
        line('lead.name', 'view.source'),
        line(null, 'lead.custom.32', { type: 'constant', value: 'Люкс' }),
        line('lead.custom.999', 'lead.custom.31'),
      ],
    });
    expect(codes(document, 'amocrm_to_lptracker' as never)).toEqual([
      ['lines[1].target', 'notWritable'],
      ['lines[2].transform.value', 'enumOptionMissing'],
      ['lines[3].source', 'fieldMissing'],
    ]);
  });

  it('reports custom fields as unchecked when a cache is not loaded', () => {
    const problems = checkDocument(
      emptyDocument({ lines: [line('view.source', 'lead.custom.600')] }),
      'lptracker_to_amocrm',
      {
        amocrm: null,
        lptracker: null,
      },
    );
    expect(problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['lines[0].target', 'metadataMissing'],
    ]);
  });
});

describe('parseMappingDocument', () => {
  it('fills the optional parts and keeps a valid document as sent', () => {
    const { document, errors } = parseMappingDocument({ lines: [line('contact.name', 'contact.name')] });
    expect(errors).toEqual([]);
    expect(document).toEqual(emptyDocument({ lines: [line('contact.name', 'contact.name')] }));
  });

  it.each([
    [{ lines: [line('a', 'b', { type: 'date', format: '%s' } as never)] }, 'lines[0].transform.format'],
    [
      { lines: [line(null, 'lead.name', { type: 'constant', value: { x: 1 } } as never)] },
      'lines[0].transform.value',
    ],
    [
      { lines: [line('a', 'b', { type: 'enum_map', map: [{ from: 'x', to: -1 }] })] },
      'lines[0].transform.map[0].to',
    ],
    [{ lines: [line('a', 'b', { type: 'trim', extra: 1 } as never)] }, 'lines[0].transform.extra'],
    [{ lines: [line(null, 'lead.name')] }, 'lines[0].source'],
    [{ lines: [], createAs: 'later' }, 'createAs'],
    [{ lines: [], pipelineId: 1.5 }, 'pipelineId'],
    [
      {
        lines: [],
        stageMap: [
          { lptrackerStageId: 1, amocrmPipelineId: 1, amocrmStatusId: 1 },
          { lptrackerStageId: 1, amocrmPipelineId: 1, amocrmStatusId: 2 },
        ],
      },
      'stageMap[1].lptrackerStageId',
    ],
    [
      { lines: [], userMap: Array.from({ length: 501 }, () => ({ lptrackerOwnerId: 1, amocrmUserId: 1 })) },
      'userMap',
    ],
    [[], 'document'],
  ])('refuses a bad shape naming %#', (body, field) => {
    const { document, errors } = parseMappingDocument(body);
    expect(document).toBeNull();
    expect(errors.map((error) => error.field)).toContain(field);
  });
});

describe('defaultDocument', () => {
  it('maps the contact, the view into text fields by name or code, the first working stage, stages and users by name', () => {
    const lptracker = lptMeta();
    lptracker.staff.push({ id: 901, name: 'анна смирнова', job: null });
    const document = defaultDocument('lptracker_to_amocrm', amoMeta(), lptracker);
    expect(document.lines.map((entry) => [entry.source, entry.target])).toEqual([
      ['contact.name', 'contact.name'],
      ['contact.phone', 'contact.phone'],
      ['contact.email', 'contact.email'],
      ['lead.name', 'lead.name'],
      ['view.source', 'lead.custom.600'], // «Источник» by name
      ['view.campaign', 'lead.custom.604'], // code UTM_CAMPAIGN
    ]);
    expect(document).toMatchObject({
      pipelineId: 100,
      statusId: 1001, // not «Неразобранное» (type 1)
      stageMap: [{ lptrackerStageId: 2, amocrmPipelineId: 100, amocrmStatusId: 1002 }],
      userMap: [
        { lptrackerOwnerId: 900, amocrmUserId: 11 },
        { lptrackerOwnerId: 901, amocrmUserId: 10 },
      ],
    });
    expect(checkDocument(document, 'lptracker_to_amocrm', { amocrm: amoMeta(), lptracker })).toEqual([]);
  });

  it('still maps the contact and the lead name with no metadata; the reverse direction has only the maps', () => {
    const document = defaultDocument('lptracker_to_amocrm', null, null);
    expect(document.lines).toHaveLength(4);
    expect(document).toMatchObject({ pipelineId: null, statusId: null, stageMap: [], userMap: [] });
    expect(defaultDocument('amocrm_to_lptracker', amoMeta(), lptMeta())).toMatchObject({
      lines: [],
      stageMap: [{ lptrackerStageId: 2, amocrmPipelineId: 100, amocrmStatusId: 1002 }],
    });
  });
});
