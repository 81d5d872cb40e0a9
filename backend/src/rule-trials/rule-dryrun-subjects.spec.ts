import { reconcileBody } from '../amocrm-inbound/reconcile-delivery';
import { eventFor, formEncode, payloadBody, readsPhones, subjectsOf } from './rule-dryrun-subjects';

describe('rule dry-run subjects', () => {
  it('encodes an amoCRM payload object as the form amoCRM posts (brackets kept, values escaped)', () => {
    expect(
      formEncode({
        leads: { status: [{ id: 5, name: 'A&B =1', status_id: 142 }] },
        account: { subdomain: 'demo', id: 7 },
        skipped: null,
      }),
    ).toBe(
      'leads[status][0][id]=5&leads[status][0][name]=A%26B%20%3D1&leads[status][0][status_id]=142&account[subdomain]=demo&account[id]=7',
    );
  });

  it('reads the lead and contact changes of an amoCRM payload (companies left out) and an LPTracker callback', () => {
    const amo = payloadBody('amocrm', {
      leads: { status: [{ id: 5, status_id: 142, old_status_id: 100, pipeline_id: 1 }] },
      contacts: { add: [{ id: 6, name: 'Пётр' }] },
      companies: { add: [{ id: 8, name: 'ООО' }] },
    });
    const subjects = subjectsOf('amocrm', amo.rawBody, amo.contentType, 'RU');
    expect(
      subjects.map((subject) => [
        subject.events,
        subject.target.amocrmLeadId,
        subject.target.amocrmContactId,
      ]),
    ).toEqual([
      [['lead.updated', 'lead.stage_changed'], 5, null],
      [['contact.created'], null, 6],
    ]);
    const trigger = { source: 'amocrm' as const, events: ['lead.stage_changed' as const], changedFields: [] };
    expect(eventFor(subjects[0], trigger)).toBe('lead.stage_changed');
    expect(eventFor(subjects[1], trigger)).toBe('contact.created');
    expect(subjects[0].context('lead.stage_changed').old).toEqual({ 'lead.status': 100 });

    const lp = payloadBody('lptracker', {
      action: 'create',
      id: 77,
      project_id: 3,
      name: 'Сайт',
      view: { source: 'yandex' },
      contact: { id: 9, name: 'Анна', details: [{ type: 'phone', data: '8 916 555-12-34' }] },
    });
    const [lead] = subjectsOf('lptracker', lp.rawBody, lp.contentType, 'RU');
    expect(lead.events).toEqual(['lead.created']);
    expect(lead.target).toMatchObject({
      lptrackerLeadId: 77,
      lptrackerContactId: 9,
      lptrackerProjectId: 3,
      lptrackerLeadName: 'Сайт',
    });
    expect(lead.context('lead.created').values).toMatchObject({
      'view.source': 'yandex',
      'contact.phone': ['+79165551234'],
    });
    expect(() => subjectsOf('lptracker', Buffer.from('{"id": "x"}'), 'application/json', 'RU')).toThrow();

    // a backtest's quick pass for a rule that reads no phone: the same values without the phones
    const [quick] = subjectsOf('lptracker', lp.rawBody, lp.contentType, 'RU', { phones: false });
    const full = lead.context('lead.created').values;
    expect(quick.context('lead.created').values).toEqual({ ...full, 'contact.phone': [] });
    expect(
      readsPhones({
        trigger: { changedFields: [] },
        conditions: { all: [{ not: { field: 'contact.phone', op: 'empty' } }] },
      }),
    ).toBe(true);
    expect(readsPhones({ trigger: {}, conditions: { all: [{ field: 'view.source', op: 'empty' }] } })).toBe(
      false,
    );
  });
  it('reads stored reconciliation events: amoCRM entities as updates (source amocrm), LPTracker leads as updates', () => {
    const amo = Buffer.from(
      reconcileBody({
        account: { id: 1, subdomain: 'demo' },
        entity: 'leads',
        items: [
          {
            id: 5,
            name: 'Сделка',
            price: 10,
            responsible_user_id: 8,
            status_id: 12,
            pipeline_id: 1,
            created_at: 1,
            updated_at: 2,
            custom_fields_values: null,
          },
        ],
      }),
    );
    const [lead] = subjectsOf('amocrm-reconcile', amo, 'application/json', 'RU');
    expect(lead.events).toEqual(['lead.updated']);
    expect(lead.target.amocrmLeadId).toBe(5);
    expect(lead.context('lead.updated').values).toMatchObject({
      'event.source': 'amocrm',
      'lead.status': 12,
    });
    const lp = Buffer.from(JSON.stringify({ id: 77, project_id: 3, name: 'Сайт', contact: { id: 9 } }));
    expect(() => subjectsOf('lptracker', lp, 'application/json', 'RU')).toThrow();
    expect(subjectsOf('lptracker-reconcile', lp, 'application/json', 'RU')[0].events).toEqual([
      'lead.updated',
    ]);
  });
});
