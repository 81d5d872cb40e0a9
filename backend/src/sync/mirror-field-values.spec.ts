import { ContactEntity } from '../contacts/contact.entity';
import { LeadEntity } from '../leads/lead.entity';
import { changedValues, contactFieldValues, leadFieldValues } from './mirror-field-values';

describe('mirror field values', () => {
  it('reads custom fields as option ids, single values or lists; a contact without lists falls back to its main phone', () => {
    const lead = Object.assign(new LeadEntity(), {
      name: 'Сделка',
      price: null,
      statusId: 1,
      pipelineId: 2,
      responsibleUserId: null,
      tags: null,
      createdAt: new Date('2026-01-05T00:00:00.000Z'),
      customFields: [
        {
          fieldId: 1,
          values: [
            { value: 'a', enumId: 11 },
            { value: 'b', enumId: 12 },
          ],
        },
        { fieldId: 2, values: [{ value: 'текст' }] },
        { fieldId: 3, values: [{ value: true }] },
        { fieldId: 4, values: [] },
      ],
    });
    expect(leadFieldValues(lead)).toMatchObject({
      'lead.price': null,
      'lead.tags': [],
      'lead.custom.1': [11, 12],
      'lead.custom.2': 'текст',
      'lead.custom.3': true,
      'lead.custom.4': null,
    });
    const contact = Object.assign(new ContactEntity(), {
      name: 'Анна',
      phone: '+79161234567',
      email: null,
      phones: null,
      emails: null,
      customFields: null,
    });
    expect(contactFieldValues(contact)).toEqual({
      'contact.name': 'Анна',
      'contact.phone': ['+79161234567'],
      'contact.email': [],
    });
  });

  it('changed values: the refs that differ (also ones on one side only), with their values before', () => {
    expect(
      changedValues(
        {
          'lead.price': 1,
          'lead.tags': ['a'],
          'lead.name': 'x',
          'lead.custom.5': 'old',
          'lead.created_at': 'a',
        },
        {
          'lead.price': 2,
          'lead.tags': ['a', 'b'],
          'lead.name': 'x',
          'lead.custom.6': 'new',
          'lead.created_at': 'b',
        },
      ),
    ).toEqual({
      changedFields: ['lead.custom.5', 'lead.custom.6', 'lead.price', 'lead.tags'],
      old: { 'lead.custom.5': 'old', 'lead.custom.6': null, 'lead.price': 1, 'lead.tags': ['a'] },
    });
    expect(changedValues({ 'lead.price': 1 }, { 'lead.price': 1 })).toEqual({ changedFields: [], old: {} });
  });
});
