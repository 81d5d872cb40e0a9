import { normaliseAmocrmWebhook, parseAmocrmWebhookForm } from '../../amocrm/webhooks';
import { amocrmChangeContext, amocrmEventsOf } from './rule-context-amocrm';
import { evaluateConditions, triggerMatches } from './rule-evaluate';
import type { RuleFieldType } from './rule.types';

const changesOf = (form: string) => normaliseAmocrmWebhook(parseAmocrmWebhookForm(Buffer.from(form))).changes;
const TYPES: Record<string, RuleFieldType> = {
  'lead.status': 'enum',
  'lead.pipeline': 'enum',
  'lead.responsible': 'enum',
  'lead.price': 'number',
  'lead.tags': 'strings',
  'lead.custom.501': 'enum',
  'lead.custom.502': 'string',
  'contact.phone': 'strings',
  'contact.email': 'strings',
};
const typeOf = (ref: string) => TYPES[ref] ?? null;

describe('amoCRM rule context', () => {
  it('reads a status change: values after, old status and pipeline before, the stage change as an event', () => {
    const [change] = changesOf(
      [
        'leads[status][0][id]=11',
        'leads[status][0][name]=Окна',
        'leads[status][0][price]=150000',
        'leads[status][0][status_id]=142',
        'leads[status][0][old_status_id]=100',
        'leads[status][0][pipeline_id]=7',
        'leads[status][0][old_pipeline_id]=7',
        'leads[status][0][responsible_user_id]=5',
        'leads[status][0][tags][0][name]=VIP',
        'leads[status][0][custom_fields][0][id]=501',
        'leads[status][0][custom_fields][0][values][0][value]=Москва',
        'leads[status][0][custom_fields][0][values][0][enum]=9001',
        'leads[status][0][custom_fields][1][id]=502',
        'leads[status][0][custom_fields][1][values][0][value]=зима',
      ].join('&'),
    );
    expect(amocrmEventsOf(change)).toEqual(['lead.updated', 'lead.stage_changed']);
    const ctx = amocrmChangeContext(change, 'lead.stage_changed');
    expect(ctx).toMatchObject({
      source: 'amocrm',
      event: 'lead.stage_changed',
      values: {
        'lead.name': 'Окна',
        'lead.price': 150000,
        'lead.status': 142,
        'lead.pipeline': 7,
        'lead.responsible': 5,
        'lead.tags': ['VIP'],
        'lead.custom.501': 9001,
        'lead.custom.502': 'зима',
      },
      old: { 'lead.status': 100, 'lead.pipeline': 7 },
      changedFields: ['lead.status'],
    });
    const result = evaluateConditions(
      {
        all: [
          { field: 'lead.status', op: 'changed_to', value: 142 },
          { field: 'lead.status', op: 'changed_from', value: 100 },
          { field: 'lead.price', op: 'gt', value: 100000 },
          { field: 'lead.custom.501', op: 'eq', value: 9001 },
          { field: 'lead.tags', op: 'contains', value: 'vip' },
        ],
      },
      ctx,
      typeOf,
    );
    expect(result.conditions.map((c) => [c.field, c.actual, c.matched])).toEqual([
      ['lead.status', 142, true],
      ['lead.status', 100, true],
      ['lead.price', 150000, true],
      ['lead.custom.501', 9001, true],
      ['lead.tags', ['VIP'], true],
    ]);
    // a trigger watching the status fires; one watching the responsible user does not
    const trigger = (changedFields: string[]) =>
      triggerMatches({ source: 'amocrm', events: ['lead.stage_changed'], changedFields }, ctx, typeOf);
    expect([trigger(['lead.status']), trigger(['lead.responsible'])]).toEqual([true, false]);
  });

  it('maps each action to its events; a plain update carries no old values', () => {
    const events = (action: string, entity = 'leads') =>
      amocrmEventsOf(changesOf(`${entity}[${action}][0][id]=1&${entity}[${action}][0][name]=x`)[0]);
    expect(events('add')).toEqual(['lead.created']);
    expect(events('update')).toEqual(['lead.updated']);
    expect(events('responsible')).toEqual(['lead.updated']);
    expect(events('delete')).toEqual(['lead.deleted']);
    expect(events('add', 'contacts')).toEqual(['contact.created']);
    expect(events('update', 'contacts')).toEqual(['contact.updated']);
    expect(events('add', 'companies')).toEqual([]);
    const [update] = changesOf('leads[update][0][id]=1&leads[update][0][status_id]=3');
    expect(amocrmChangeContext(update, 'lead.updated')).toMatchObject({ old: null, changedFields: null });
  });

  it('reads a contact: name, phones and e-mails by field code, other custom fields by id', () => {
    const [contact] = changesOf(
      [
        'contacts[add][0][id]=21',
        'contacts[add][0][name]=Пётр',
        'contacts[add][0][custom_fields][0][id]=1',
        'contacts[add][0][custom_fields][0][code]=PHONE',
        'contacts[add][0][custom_fields][0][values][0][value]=%2B79165551234',
        'contacts[add][0][custom_fields][0][values][1][value]=%2B74951234567',
        'contacts[add][0][custom_fields][1][id]=2',
        'contacts[add][0][custom_fields][1][code]=EMAIL',
        'contacts[add][0][custom_fields][1][values][0][value]=p@example.test',
      ].join('&'),
    );
    expect(amocrmChangeContext(contact, 'contact.created').values).toMatchObject({
      'contact.name': 'Пётр',
      'contact.phone': ['+79165551234', '+74951234567'],
      'contact.email': ['p@example.test'],
      'contact.custom.1': ['+79165551234', '+74951234567'],
    });
  });
});
