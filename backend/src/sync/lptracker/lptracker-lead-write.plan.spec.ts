import type { LptrackerLeadRecord } from '../../lptracker/client/lptracker-lead-read';
import type { LptrackerProjectMetadataSnapshot } from '../../lptracker/metadata/lptracker-metadata.types';
import {
  catalogProblems,
  identityLockKeys,
  newLeadBody,
  reusableLead,
  type LptrackerLeadInput,
} from './lptracker-lead-write.plan';

const input = (patch: Partial<LptrackerLeadInput> = {}): LptrackerLeadInput => ({
  name: 'Окна',
  contactName: 'Пётр',
  phone: '+79165551234',
  email: 'p@example.ru',
  contactFields: {},
  custom: {},
  stageId: null,
  ownerId: null,
  view: {},
  ...patch,
});

const project: LptrackerProjectMetadataSnapshot = {
  project: { id: 7, name: 'Сайт', domain: null },
  customs: [{ id: 501, name: 'Бюджет', type: 'text', options: null }],
  contactFields: [{ id: 33, name: 'Город', type: 'text' }],
  funnel: [{ id: 2, name: 'Новая' }],
  staff: [{ id: 4, name: 'Анна', job: null }],
};

const lead = (id: number, name: string | null): LptrackerLeadRecord => ({
  id,
  projectId: 7,
  contactId: 1,
  name,
  stageId: null,
  ownerId: null,
  custom: new Map(),
});

describe('planning an LPTracker lead write', () => {
  it('a new contact is sent with its phone, e-mail and fields; a found one by id only', () => {
    const full = input({ contactFields: { '33': 'Тула' }, custom: { '501': '150' }, stageId: 2, ownerId: 4 });
    expect(newLeadBody(7, full, null)).toEqual({
      name: 'Окна',
      contact: {
        project_id: 7,
        name: 'Пётр',
        details: [
          { type: 'phone', data: '+79165551234' },
          { type: 'email', data: 'p@example.ru' },
        ],
        fields: { '33': 'Тула' },
      },
      funnel: 2,
      owner: 4,
      custom: { '501': '150' },
    });
    expect(newLeadBody(7, input({ view: { source: 'xls', keyword: '' } }), 12)).toEqual({
      name: 'Окна',
      contact_id: 12,
      view: { source: 'xls' },
    });
  });

  it('the lead name falls back to the contact name, then to a plain word', () => {
    expect(newLeadBody(7, input({ name: ' ' }), 1).name).toBe('Пётр');
    expect(newLeadBody(7, input({ name: null, contactName: null }), 1).name).toBe('Заявка');
  });

  it('reuses a lead of the contact with the same name only', () => {
    expect(reusableLead([lead(1, 'Двери'), lead(2, ' окна ')], input())?.id).toBe(2);
    expect(reusableLead([lead(1, 'Двери'), lead(3, null)], input())).toBeNull();
  });

  it('locks on the phone and the lower-case e-mail of the project', () => {
    expect(identityLockKeys('w', 7, input({ email: 'P@Example.ru' }))).toEqual([
      'lptracker:identity:w:7:phone:+79165551234',
      'lptracker:identity:w:7:email:p@example.ru',
    ]);
    expect(identityLockKeys('w', 7, input({ phone: null, email: null }))).toEqual([]);
  });

  it('names every custom field, contact field, stage and owner the catalog does not have', () => {
    expect(
      catalogProblems(
        input({ custom: { '501': 'x' }, contactFields: { '33': 'y' }, stageId: 2, ownerId: 4 }),
        project,
      ),
    ).toEqual([]);
    const bad = catalogProblems(
      input({ custom: { '9': 'x' }, contactFields: { '8': 'y' }, stageId: 3, ownerId: 5 }),
      project,
    );
    expect(bad.map((problem) => problem.field)).toEqual([
      'lead.custom.9',
      'contact.field.8',
      'lead.stage',
      'lead.owner',
    ]);
  });
});
