import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import { restoreFound } from './actions/find-or-create-actions';
import { reconciledChange } from './rule-context-amocrm';
import {
  contactInputOf,
  engineRequests,
  leadInputOf,
  renderNameTemplate,
  type RuleMapped,
  type RuleSubject,
} from './rule-find-or-create';
import { planRuleAction, type RuleTarget } from './rule-requests';
import { AMOCRM_META } from './testing/rule-test-metadata';

const subject: RuleSubject = {
  lptrackerLead: null,
  values: {
    'contact.name': 'Олег',
    'contact.phone': ['+7 916 000-00-77'],
    'contact.email': [],
    'view.source': 'yandex',
  },
};
const action = {
  type: 'find_or_create_lead' as const,
  pipelineId: 2,
  statusId: 21,
  responsibleUserId: 8,
  nameTemplate: '{contact.name} — {view.source}',
  mappingProjectId: null,
};
const unlinked: RuleTarget = {
  amocrmLeadId: null,
  amocrmContactId: null,
  lptrackerLeadId: null,
  lptrackerContactId: null,
  lptrackerProjectId: null,
  lptrackerLeadName: null,
};
const mapped = (over: Partial<RuleMapped['plan']['lead']> = {}): RuleMapped => ({
  projectId: 9,
  version: 3,
  document: { pipelineId: 1, statusId: 12 } as RuleMapped['document'],
  plan: {
    contact: { name: 'Олег Мапп', phones: ['+79160000078'], emails: [], customFields: [] },
    lead: {
      name: 'Из маппинга',
      price: 5000,
      tags: [],
      responsibleUserId: 7,
      pipelineId: null,
      statusId: null,
      customFields: [{ fieldId: 100, values: [{ value: 'коммент' }] }],
      ...over,
    },
    written: [],
    problems: [],
  },
});

describe('find-or-create inputs (pure)', () => {
  it('renders the name template over the event values, lists joined, nothing evaluated', () => {
    expect(renderNameTemplate('{contact.name} — {view.source} {nope}', subject.values)).toBe('Олег — yandex');
    expect(renderNameTemplate('{contact.phone}', { 'contact.phone': ['1', '2'] })).toBe('1, 2');
  });

  it('the action’s pipeline, stage, responsible and name win over the mapping; the mapping fills the rest', () => {
    expect(leadInputOf(action, subject, mapped())).toEqual({
      name: 'Олег — yandex',
      pipelineId: 2,
      statusId: 21,
      price: 5000,
      customFields: [{ fieldId: 100, values: [{ value: 'коммент' }] }],
      responsibleUserId: 8,
    });
    const bare = { ...action, pipelineId: null, statusId: null, responsibleUserId: null, nameTemplate: null };
    expect(leadInputOf(bare, subject, mapped())).toMatchObject({
      name: 'Из маппинга',
      pipelineId: 1,
      statusId: 12,
      responsibleUserId: 7,
    });
    // a pipeline without a stage: the pipeline's first stage, not the mapping's stage of another pipeline
    expect(leadInputOf({ ...bare, pipelineId: 2 }, subject, mapped()).statusId).toBeUndefined();
  });

  it('the contact: the mapped phone first, else the event’s', () => {
    expect(contactInputOf(subject, null)).toEqual({ name: 'Олег', phone: '+7 916 000-00-77' });
    expect(contactInputOf(subject, mapped())).toEqual({ name: 'Олег Мапп', phone: '+79160000078' });
  });

  it('plans the lookups and the create as the engine sends them; a known contact gets a linked lead', () => {
    const lead = leadInputOf(action, subject, null);
    const fresh = engineRequests('lead', contactInputOf(subject, null), lead, null, AMOCRM_META, 'RU');
    expect('requests' in fresh && fresh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v4/contacts?query=9160000077',
      'POST /api/v4/leads/complex',
    ]);
    const known = engineRequests('lead', contactInputOf(subject, null), lead, 601, AMOCRM_META, 'RU');
    expect('requests' in known && known.requests[1]).toEqual({
      method: 'POST',
      path: '/api/v4/leads',
      when: 'none found',
      body: [
        {
          name: 'Олег — yandex',
          pipeline_id: 2,
          status_id: 21,
          responsible_user_id: 8,
          _embedded: { contacts: [{ id: 601, is_main: true }] },
        },
      ],
    });
    const unmirrored = engineRequests(
      'lead',
      contactInputOf(subject, null),
      lead,
      601,
      AMOCRM_META,
      'RU',
      false,
    );
    expect('requests' in unmirrored && unmirrored.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v4/contacts/601',
      'GET /api/v4/contacts/601?with=leads',
      'POST /api/v4/leads',
    ]);
    const refused = engineRequests(
      'lead',
      contactInputOf(subject, null),
      { ...lead, statusId: 11 },
      601,
      AMOCRM_META,
      'RU',
    );
    expect(refused).toEqual({ error: expect.stringContaining('statusId') });
  });

  it('a dry run shows the find-or-create requests, or that the event already has the record', () => {
    const planned = planRuleAction(action, unlinked, 0, {
      findOrCreate: () => ({ requests: [{ method: 'POST', path: '/api/v4/contacts', body: [] }] }),
    });
    expect(planned.requests).toEqual([
      { system: 'amocrm', method: 'POST', path: '/api/v4/contacts', body: [] },
    ]);
    expect(planRuleAction(action, { ...unlinked, amocrmLeadId: 5 }, 0)).toEqual({
      requests: [],
      missing: null,
      note: "the event's amoCRM lead 5",
    });
  });

  it('update_lead with useMapping writes the mapped values, explicit values on top', () => {
    const planned = planRuleAction(
      { type: 'update_lead', useMapping: true, values: [{ field: 'lead.custom.100', value: 'явно' }] },
      { ...unlinked, amocrmLeadId: 5 },
      0,
      { mapped: mapped() },
    );
    expect(planned.requests[0].body).toEqual([
      {
        id: 5,
        name: 'Из маппинга',
        price: 5000,
        custom_fields_values: [{ field_id: 100, values: [{ value: 'явно' }] }],
      },
    ]);
    const none = planRuleAction(
      { type: 'update_lead', useMapping: true, values: [] },
      { ...unlinked, amocrmLeadId: 5 },
      0,
      { mapped: null },
    );
    expect(none.missing).toMatch(/no mapping/);
  });
});

describe('reconciledChange (a reconciled entity as the change rules read)', () => {
  const lead = {
    id: 5,
    name: 'Сделка',
    price: 10,
    responsible_user_id: 8,
    status_id: 12,
    pipeline_id: 1,
    created_at: 1,
    updated_at: 2,
    custom_fields_values: [{ field_id: 103, values: [{ enum_id: 1031 }] }],
  } as AmoLead;

  it('new to the mirror → add; another stage than the mirror’s → status with the old values; else update', () => {
    expect(reconciledChange('lead', lead, null).action).toBe('add');
    const moved = reconciledChange('lead', lead, { statusId: 11, pipelineId: 1, responsibleUserId: 7 });
    expect(moved).toMatchObject({
      action: 'status',
      oldStatusId: 11,
      oldPipelineId: 1,
      oldResponsibleUserId: 7,
    });
    expect(moved.customFields).toEqual([
      { id: 103, name: null, code: null, values: [{ value: null, enum: 1031 }] },
    ]);
    expect(reconciledChange('lead', lead, { statusId: 12, pipelineId: 1, responsibleUserId: 8 }).action).toBe(
      'update',
    );
    expect(reconciledChange('lead', { ...lead, is_deleted: true }, null).action).toBe('delete');
  });
});

describe('restoreFound (a find-or-create done on an earlier try)', () => {
  it('fills the target and the lead mirror row from the done-marker, never over what the event has', () => {
    const scope = {
      workspaceId: 'w',
      target: { ...unlinked },
      leadMirrorId: null as string | null,
      trace: {} as never,
    };
    const stored = JSON.stringify({
      index: 0,
      type: 'find_or_create_lead',
      outcome: 'done',
      answer: { system: 'amocrm', leadId: 41, contactId: 42, leadMirrorId: 'row-41' },
    });
    restoreFound(scope, stored);
    expect([scope.target.amocrmLeadId, scope.target.amocrmContactId, scope.leadMirrorId]).toEqual([
      41,
      42,
      'row-41',
    ]);
    const known = { ...scope, target: { ...unlinked, amocrmContactId: 7 }, leadMirrorId: null };
    restoreFound(known, stored);
    expect(known.target.amocrmContactId).toBe(7);
    restoreFound(known, 'not json');
    restoreFound(known, null);
    expect(known.target.amocrmLeadId).toBe(41);
  });
});
