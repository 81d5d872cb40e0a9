import type { AmocrmWritePlan } from '../mappings/mapping.types';
import { changesOf } from './lptracker-lead-update.service';

const plan = (written: string[], patch: Partial<AmocrmWritePlan['lead']> = {}): AmocrmWritePlan => ({
  contact: {
    name: 'Пётр',
    phones: ['+79165551234'],
    emails: ['p@example.ru'],
    customFields: [{ fieldId: 9, values: [{ value: 'x' }] }],
  },
  lead: {
    name: 'Окна',
    price: 100,
    tags: ['lp'],
    responsibleUserId: 4,
    pipelineId: 1,
    statusId: 2,
    customFields: [{ fieldId: 501, values: [{ value: '150' }] }],
    ...patch,
  },
  written: written.map((target, line) => ({ line, source: 'lead.name', target })),
  problems: [],
});

describe('what an update of a linked lead writes', () => {
  it('only the targets the plan wrote; tags are added, never replaced', () => {
    expect(changesOf(plan(['lead.custom.501']))).toEqual({
      lead: { customFields: [{ fieldId: 501, values: [{ value: '150' }] }] },
      contact: {},
    });
    expect(changesOf(plan(['lead.status', 'lead.tags', 'lead.name']))).toEqual({
      lead: { name: 'Окна', statusId: 2, pipelineId: 1, addTags: ['lp'] },
      contact: {},
    });
  });

  it('contact targets go to the contact; the responsible user is not part of the engine update', () => {
    expect(changesOf(plan(['contact.custom.9', 'contact.phone', 'lead.responsible']))).toEqual({
      lead: {},
      contact: { phone: '+79165551234', customFields: [{ fieldId: 9, values: [{ value: 'x' }] }] },
    });
  });
});
