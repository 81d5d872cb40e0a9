import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import type { MappingDocument } from '../mappings/mapping.types';
import { changedRefs, sourceRefsOf, sourceValuesOf } from './last-seen';
import { changedAtOf } from './lptracker-lead-sync.service';

const lead = (patch: Partial<LptrackerLead> = {}): LptrackerLead => ({
  projectId: 1,
  id: 10,
  action: 'update',
  actionTimestamp: '1700000000000',
  updateFields: null,
  updatedAt: null,
  createdAt: null,
  name: 'Окна',
  stageId: 5,
  stageName: 'Новый',
  ownerId: 7,
  contact: { id: 3, name: 'Пётр', phones: ['+79165551234'], emails: [], invalidPhones: [] },
  view: { source: 'yandex', campaign: null, keyword: null },
  custom: [{ id: 77, name: 'Бюджет', value: '100' }],
  ...patch,
});

const document: MappingDocument = {
  lines: [
    { source: 'lead.custom.77', target: 'lead.custom.501', transform: { type: 'trim' } },
    {
      source: null,
      target: 'lead.name',
      transform: { type: 'template', template: '{lead.name} / {view.source}' },
    },
    { source: 'contact.phone', target: 'contact.phone', transform: { type: 'phone' } },
  ],
  pipelineId: null,
  statusId: null,
  createAs: 'lead',
  stageMap: [{ lptrackerStageId: 5, amocrmPipelineId: 1, amocrmStatusId: 2 }],
  userMap: [],
};

describe('last seen values of an LPTracker lead', () => {
  it('reads every source the mapping uses: lines, template placeholders, the stage map', () => {
    expect(sourceRefsOf(document)).toEqual([
      'contact.phone',
      'lead.custom.77',
      'lead.name',
      'lead.stage',
      'view.source',
    ]);
    expect(sourceValuesOf(document, lead(), null)).toEqual({
      'contact.phone': ['+79165551234'],
      'lead.custom.77': ['100'],
      'lead.name': ['Окна'],
      'lead.stage': ['5'],
      'view.source': ['yandex'],
    });
  });

  it('names only the sources whose values differ from those seen last; nothing seen before: all', () => {
    const before = sourceValuesOf(document, lead(), null);
    const after = sourceValuesOf(
      document,
      lead({ custom: [{ id: 77, name: 'Бюджет', value: '200' }], stageId: 6 }),
      null,
    );
    expect(changedRefs(before, after)).toEqual(['lead.custom.77', 'lead.stage']);
    expect(changedRefs(before, before)).toEqual([]);
    expect(changedRefs(null, after)).toEqual(Object.keys(after));
    expect(changedRefs(['not', 'an', 'object'], after)).toEqual(Object.keys(after));
  });
});

describe('the LPTracker time of a change', () => {
  it('takes action_timestamp in milliseconds or seconds, else updated_at (seconds)', () => {
    expect(changedAtOf({ actionTimestamp: '1700000000123', updatedAt: 5 })).toBe(1_700_000_000_123);
    expect(changedAtOf({ actionTimestamp: '1700000000', updatedAt: 5 })).toBe(1_700_000_000_000);
    expect(changedAtOf({ actionTimestamp: null, updatedAt: 1_700_000_001 })).toBe(1_700_000_001_000);
    expect(changedAtOf({ actionTimestamp: 'x', updatedAt: null })).toBeNull();
  });
});
