import type {
  CurrentMapping,
  FieldCatalog,
  MappingDocument,
  MappingProblem,
  MappingSummary,
  MappingVersionView,
} from './mappings.models';

/** Sample API answers shared by the mapping editor's specs. */
export const BASE = '/api/v1/mappings';
export const CURRENT_URL = `${BASE}/101/lptracker_to_amocrm`;

export const SUMMARIES: MappingSummary[] = [
  {
    projectId: 101,
    projectName: 'Сайт',
    direction: 'lptracker_to_amocrm',
    version: 3,
    updatedAt: '2026-03-05T10:00:00.000Z',
    updatedBy: 'admin@example.com',
    problems: [],
  },
  {
    projectId: 101,
    projectName: 'Сайт',
    direction: 'amocrm_to_lptracker',
    version: 1,
    updatedAt: '2026-03-05T10:00:00.000Z',
    updatedBy: null,
    problems: [],
  },
];

export const CATALOG: FieldCatalog = {
  lptracker: [
    { ref: 'contact.name', name: 'Имя контакта', type: 'text' },
    { ref: 'contact.phone', name: 'Телефоны', type: 'phone' },
    { ref: 'view.source', name: 'Источник', type: 'text' },
    { ref: 'lead.custom.7', name: 'Город', type: 'cats', options: ['Москва', 'Казань'] },
  ],
  amocrm: [
    { ref: 'contact.name', name: 'Имя', type: 'text', entity: 'contact' },
    { ref: 'contact.phone', name: 'Телефон', type: 'multiphone', entity: 'contact' },
    { ref: 'lead.name', name: 'Название сделки', type: 'text', entity: 'lead' },
    {
      ref: 'lead.custom.501',
      name: 'Город клиента',
      type: 'select',
      entity: 'lead',
      options: [
        { id: 9001, value: 'Москва' },
        { id: 9002, value: 'Казань' },
      ],
    },
  ],
  lptrackerStages: [{ id: 1, name: 'Новая' }],
  amocrmPipelines: [{ id: 10, name: 'Продажи', statuses: [{ id: 100, name: 'Первичный контакт' }] }],
  lptrackerStaff: [{ id: 5, name: 'Ирина' }],
  amocrmUsers: [{ id: 77, name: 'Ирина Петрова' }],
};

export function documentOf(): MappingDocument {
  return {
    lines: [
      { source: 'contact.name', target: 'contact.name', transform: { type: 'trim' } },
      { source: 'contact.phone', target: 'contact.phone', transform: { type: 'phone' } },
      {
        source: 'lead.custom.7',
        target: 'lead.custom.501',
        transform: { type: 'enum_map', map: [{ from: 'Москва', to: 9001 }] },
      },
    ],
    pipelineId: 10,
    statusId: 100,
    createAs: 'lead',
    stageMap: [{ lptrackerStageId: 1, amocrmPipelineId: 10, amocrmStatusId: 100 }],
    userMap: [],
  };
}

export function current(problems: MappingProblem[] = [], version = 3): CurrentMapping {
  return {
    projectId: 101,
    direction: 'lptracker_to_amocrm',
    version,
    document: documentOf(),
    settingsVersion: 12,
    createdBy: 'admin@example.com',
    createdAt: '2026-03-05T10:00:00.000Z',
    origin: 'save',
    problems,
  };
}

export function version(number: number, origin: string): MappingVersionView {
  const { problems: _problems, ...view } = current([], number);
  return { ...view, origin };
}

// The editor is a large form: its first render in a cold test run can take several seconds.
