import { planRuleAction, planRuleActions, type RuleTarget } from './rule-requests';

const linked: RuleTarget = {
  amocrmLeadId: 501,
  amocrmContactId: 601,
  lptrackerLeadId: 701,
  lptrackerContactId: 801,
  lptrackerProjectId: 9,
  lptrackerLeadName: 'Заявка',
};
const unlinked: RuleTarget = {
  ...linked,
  amocrmLeadId: null,
  lptrackerLeadId: null,
  lptrackerContactId: null,
};

describe('planRuleAction (which requests an action would send)', () => {
  it('moves the amoCRM stage with one PATCH of the linked lead, the LPTracker stage with PUT funnel', () => {
    expect(
      planRuleAction({ type: 'move_stage', system: 'amocrm', pipelineId: 3, statusId: 4 }, linked, 0),
    ).toEqual({
      missing: null,
      requests: [
        {
          system: 'amocrm',
          method: 'PATCH',
          path: '/api/v4/leads',
          body: [{ id: 501, pipeline_id: 3, status_id: 4 }],
        },
      ],
    });
    expect(
      planRuleAction({ type: 'move_stage', system: 'lptracker', stageId: 12 }, linked, 0).requests,
    ).toEqual([{ system: 'lptracker', method: 'PUT', path: '/lead/701/funnel', body: { funnel: 12 } }]);
  });

  it('adds tags by reading the lead then writing, notes and tasks on the lead (deadline N hours on)', () => {
    const tags = planRuleAction({ type: 'add_tags', tags: ['VIP', 'Яндекс'] }, linked, 0).requests;
    expect(tags.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v4/leads/501',
      'PATCH /api/v4/leads',
    ]);
    expect(tags[1].body).toEqual([{ id: 501, _embedded: { tags: [{ name: 'VIP' }, { name: 'Яндекс' }] } }]);
    expect(planRuleAction({ type: 'add_note', text: 'Звонок' }, linked, 0).requests[0]).toMatchObject({
      path: '/api/v4/leads/501/notes',
      body: [{ note_type: 'common', params: { text: 'Звонок' } }],
    });
    const task = planRuleAction(
      { type: 'create_task', text: 'Перезвонить', dueInHours: 2, responsibleUserId: 77 },
      linked,
      1_000_000.7,
    ).requests[0];
    expect(task.body).toEqual([
      {
        text: 'Перезвонить',
        complete_till: 1_000_000 + 7200,
        entity_id: 501,
        entity_type: 'leads',
        responsible_user_id: 77,
      },
    ]);
  });

  it('update_lead sends name, price and custom values; update_lptracker_lead stage and custom', () => {
    const update = planRuleAction(
      {
        type: 'update_lead',
        useMapping: false,
        values: [
          { field: 'lead.name', value: 'VIP' },
          { field: 'lead.price', value: '1500' },
          { field: 'lead.custom.44', value: 'да' },
        ],
      },
      linked,
      0,
    );
    expect(update.requests[0].body).toEqual([
      {
        id: 501,
        name: 'VIP',
        price: 1500,
        custom_fields_values: [{ field_id: 44, values: [{ value: 'да' }] }],
      },
    ]);
    const lp = planRuleAction(
      { type: 'update_lptracker_lead', stageId: 5, custom: [{ fieldId: 9, value: 'x' }] },
      linked,
      0,
    );
    expect(lp.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', '/lead/701/funnel', { funnel: 5 }],
      ['PUT', '/lead/701', { custom: { '9': 'x' } }],
    ]);
  });

  it('call_back is the only request with callback: true, a new lead of the linked contact', () => {
    const plans = planRuleActions(
      [
        { type: 'update_lptracker_lead', stageId: 5, custom: [] },
        { type: 'call_back' },
        { type: 'move_stage', system: 'lptracker', stageId: 6 },
      ],
      linked,
      0,
    );
    const withCallback = plans
      .flatMap((plan) => plan.requests)
      .filter((r) => (r.body as { callback?: boolean } | null)?.callback === true);
    expect(withCallback).toEqual([
      {
        system: 'lptracker',
        method: 'POST',
        path: '/lead',
        body: { contact_id: 801, name: 'Заявка', callback: true },
      },
    ]);
  });

  it('an action on a record the event has not got sends nothing and says why', () => {
    expect(planRuleAction({ type: 'add_note', text: 'x' }, unlinked, 0)).toEqual({
      requests: [],
      missing: 'no amoCRM lead is linked to this event',
    });
    expect(planRuleAction({ type: 'move_stage', system: 'lptracker', stageId: 1 }, unlinked, 0).missing).toBe(
      'no LPTracker lead is linked to this event',
    );
    expect(planRuleAction({ type: 'call_back' }, unlinked, 0).requests).toEqual([]);
    expect(planRuleAction({ type: 'stop' }, linked, 0).requests).toEqual([]);
  });
});
