import { contactChanges, leadChanges, previousStage, type LeadState } from './mirror-changes';

const lead = (over: Partial<LeadState> = {}): LeadState => ({
  name: 'Сделка',
  statusId: 61000001,
  pipelineId: 7200001,
  price: 1000,
  responsibleUserId: 8100001,
  customFields: [],
  tags: [],
  deletedAt: null,
  ...over,
});

describe('domain events from the mirror row before and after a change', () => {
  it('publishes a stage change with the old and new stage, and nothing else when only the stage moved', () => {
    expect(leadChanges(lead(), lead({ statusId: 142 }))).toEqual([
      {
        type: 'lead.stage_changed',
        old: { pipelineId: '7200001', statusId: '61000001' },
        new: { pipelineId: '7200001', statusId: '142' },
      },
    ]);
    expect(leadChanges(lead(), lead({ pipelineId: 7300001, statusId: 62000001 }))[0]).toMatchObject({
      type: 'lead.stage_changed',
      new: { pipelineId: '7300001', statusId: '62000001' },
    });
  });

  it('publishes the stage change once when status and update deliveries of one move are applied one after the other', () => {
    const moved = lead({ statusId: 142 });
    const first = leadChanges(lead(), moved, {
      statusId: 61000001,
      pipelineId: 7200001,
      responsibleUserId: null,
    });
    const second = leadChanges(moved, moved, null);
    expect(first.map((change) => change.type)).toEqual(['lead.stage_changed']);
    expect(second).toEqual([]);
  });

  it('prefers the mirror over the payload for the old stage, and uses the payload for a lead it did not know', () => {
    expect(
      previousStage(lead({ statusId: 61000002 }), {
        statusId: 61000001,
        pipelineId: 7200001,
        responsibleUserId: null,
      }),
    ).toEqual({
      pipelineId: '7200001',
      statusId: '61000002',
    });
    expect(
      leadChanges(null, lead({ statusId: 142 }), {
        statusId: 61000001,
        pipelineId: 7200001,
        responsibleUserId: null,
      }).map((change) => change.type),
    ).toEqual(['lead.created', 'lead.stage_changed']);
    expect(leadChanges(null, lead()).map((change) => change.type)).toEqual(['lead.created']);
  });

  it('tells a responsible change apart from other updates', () => {
    expect(leadChanges(lead(), lead({ responsibleUserId: 8100002 }))).toEqual([
      {
        type: 'lead.responsible_changed',
        old: { responsibleUserId: '8100001' },
        new: { responsibleUserId: '8100002' },
      },
    ]);
    const renamed = leadChanges(lead(), lead({ name: 'Сделка 2', price: 2000 }));
    expect(renamed).toEqual([
      {
        type: 'lead.updated',
        old: expect.objectContaining({ name: 'Сделка', price: 1000 }),
        new: expect.objectContaining({ name: 'Сделка 2', price: 2000 }),
      },
    ]);
    expect(leadChanges(lead(), lead())).toEqual([]);
  });

  it('publishes a deletion once, and a restore as an update', () => {
    const deleted = lead({ deletedAt: new Date() });
    expect(leadChanges(lead(), null)).toEqual([
      { type: 'lead.deleted', old: expect.objectContaining({ statusId: '61000001' }), new: null },
    ]);
    expect(leadChanges(deleted, null)).toEqual([]);
    expect(leadChanges(null, null)).toEqual([{ type: 'lead.deleted', old: null, new: null }]);
    expect(leadChanges(deleted, lead()).map((change) => change.type)).toEqual(['lead.updated']);
  });

  it('publishes contact created, updated (only when a mirrored field changed) and deleted', () => {
    const contact = {
      name: 'Иван',
      phones: ['+79161234567'],
      emails: [],
      responsibleUserId: 1,
      customFields: [],
      deletedAt: null,
    };
    expect(contactChanges(null, contact)).toEqual([
      {
        type: 'contact.created',
        old: null,
        new: { name: 'Иван', phones: ['+79161234567'], emails: [], responsibleUserId: '1', fields: {} },
      },
    ]);
    expect(contactChanges(contact, { ...contact })).toEqual([]);
    expect(
      contactChanges(contact, { ...contact, phones: ['+79161234567', '+79031112233'] })[0],
    ).toMatchObject({
      type: 'contact.updated',
      new: { phones: ['+79161234567', '+79031112233'] },
    });
    expect(contactChanges(contact, null)[0]).toMatchObject({ type: 'contact.deleted', new: null });
  });
});
