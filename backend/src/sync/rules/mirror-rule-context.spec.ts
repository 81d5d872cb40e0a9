import { ContactEntity } from '../../contacts/contact.entity';
import { LeadEntity } from '../../leads/lead.entity';
import { callWithMirror, mirrorWriteContexts, type MirrorWrite } from './mirror-rule-context';
import { evaluateConditions, triggerMatches } from './rule-evaluate';
import type { RuleFieldType } from './rule.types';

const TYPES: Record<string, RuleFieldType> = {
  'lead.price': 'number',
  'lead.status': 'enum',
  'lead.pipeline': 'enum',
  'lead.tags': 'strings',
  'lead.name': 'string',
  'lead.custom.701': 'enum',
  'lead.created_at': 'date',
  'contact.phone': 'strings',
  'contact.email': 'strings',
  'contact.name': 'string',
  'contact.custom.601': 'string',
};
const typeOf = (ref: string) => TYPES[ref.replace(/^old\./, '')] ?? null;

function lead(): LeadEntity {
  return Object.assign(new LeadEntity(), {
    workspaceId: 'ws',
    amocrmId: 8001,
    name: 'Окна VIP',
    statusId: 142,
    status: 'Успешно',
    pipelineId: 7,
    price: 150_000,
    contactId: 'c1',
    responsibleUserId: 5,
    customFields: [{ fieldId: 701, values: [{ value: 'Москва', enumId: 9001 }] }],
    tags: ['VIP'],
    source: 'api',
    createdAt: new Date('2026-12-01T10:00:00.000Z'),
  });
}

function contact(): ContactEntity {
  return Object.assign(new ContactEntity(), {
    workspaceId: 'ws',
    amocrmId: 9001,
    name: 'Анна',
    phone: '+79161234567',
    email: 'anna@example.ru',
    phones: ['+79161234567', '+79160000000'],
    emails: ['anna@example.ru'],
    customFields: [{ fieldId: 601, values: [{ value: 'Сайт' }] }],
  });
}

const created: MirrorWrite = {
  origin: 'api',
  events: ['lead.created', 'contact.created'],
  changedFields: [],
  old: null,
};

describe('rule contexts of engine writes (from the mirror)', () => {
  it('a lead made with its contact: one context per event with the lead and contact as the rules name them', () => {
    const contexts = mirrorWriteContexts(created, { lead: lead(), contact: contact() });
    expect(contexts.map((ctx) => [ctx.source, ctx.event])).toEqual([
      ['api', 'lead.created'],
      ['api', 'contact.created'],
    ]);
    const [ctx] = contexts;
    expect(ctx.values).toEqual({
      'event.source': 'api',
      'event.type': 'lead.created',
      'lead.name': 'Окна VIP',
      'lead.price': 150_000,
      'lead.status': 142,
      'lead.pipeline': 7,
      'lead.responsible': 5,
      'lead.tags': ['VIP'],
      'lead.created_at': '2026-12-01T10:00:00.000Z',
      'lead.custom.701': 9001,
      'contact.name': 'Анна',
      'contact.phone': ['+79161234567', '+79160000000'],
      'contact.email': ['anna@example.ru'],
      'contact.custom.601': 'Сайт',
    });
    expect(ctx.old).toBeNull();
    expect(ctx.changedFields).toBeNull();
    const condition = { field: 'lead.price', op: 'gt' as const, value: 100_000 };
    expect(evaluateConditions(condition, ctx, typeOf).matched).toBe(true);
    expect(evaluateConditions({ ...condition, value: 200_000 }, ctx, typeOf).matched).toBe(false);
    const any = { field: 'contact.phone', op: 'contains' as const, value: '0000000' };
    expect(evaluateConditions(any, ctx, typeOf).matched).toBe(true);
    const trigger = { source: 'api' as const, events: ['lead.created' as const], changedFields: [] };
    expect(triggerMatches(trigger, ctx, typeOf)).toBe(true);
    expect(triggerMatches({ ...trigger, source: 'import' }, ctx, typeOf)).toBe(false);
    expect(triggerMatches({ ...trigger, source: 'lptracker' }, ctx, typeOf)).toBe(false);
  });

  it('an imported update: the changed fields and their old values, so changed_from / changed_to / old.* work', () => {
    const write: MirrorWrite = {
      origin: 'import',
      events: ['lead.updated', 'lead.stage_changed'],
      changedFields: ['lead.price', 'lead.status'],
      old: { 'lead.price': 90_000, 'lead.status': 100 },
    };
    const contexts = mirrorWriteContexts(write, { lead: lead(), contact: null });
    expect(contexts.map((ctx) => ctx.event)).toEqual(['lead.updated', 'lead.stage_changed']);
    const [ctx] = contexts;
    expect(ctx.source).toBe('import');
    expect(ctx.values['event.source']).toBe('import');
    expect(ctx.values['contact.name']).toBeUndefined();
    expect(ctx.changedFields).toEqual(['lead.price', 'lead.status']);
    expect(ctx.old).toEqual({ 'lead.price': 90_000, 'lead.status': 100 });
    const check = (condition: Record<string, unknown>) =>
      evaluateConditions(condition as never, ctx, typeOf).matched;
    expect(check({ field: 'lead.status', op: 'changed_from', value: 100 })).toBe(true);
    expect(check({ field: 'lead.status', op: 'changed_to', value: 142 })).toBe(true);
    expect(check({ field: 'old.lead.price', op: 'lt', value: 100_000 })).toBe(true);
    expect(check({ field: 'lead.name', op: 'changed' })).toBe(false);
    const trigger = { source: 'import' as const, events: ['lead.updated' as const] };
    expect(triggerMatches({ ...trigger, changedFields: ['lead.price'] }, ctx, typeOf)).toBe(true);
    expect(triggerMatches({ ...trigger, changedFields: ['lead.name'] }, ctx, typeOf)).toBe(false);
  });

  it('a contact alone: contact values only; call results give no context', () => {
    const write: MirrorWrite = {
      origin: 'api',
      events: ['contact.updated'],
      changedFields: ['contact.name'],
      old: { 'contact.name': 'Аня' },
    };
    const [ctx] = mirrorWriteContexts(write, { lead: null, contact: contact() });
    expect(Object.keys(ctx.values).filter((ref) => ref.startsWith('lead.'))).toEqual([]);
    expect(ctx.values['contact.name']).toBe('Анна');
    expect(ctx.old).toEqual({ 'contact.name': 'Аня' });
    const call: MirrorWrite = { origin: 'api', events: ['call.finished'], changedFields: [], old: null };
    expect(mirrorWriteContexts(call, { lead: null, contact: contact() })).toEqual([]);
  });

  it('a finished call: its own values win over the linked lead and contact underneath', () => {
    const call = {
      source: 'import' as const,
      event: 'call.finished' as const,
      values: { 'event.source': 'import', 'call.result': 'no_answer', 'contact.phone': ['+79169999999'] },
      old: null,
      changedFields: null,
    };
    const ctx = callWithMirror(call, { lead: lead(), contact: contact() });
    expect(ctx.values).toMatchObject({
      'call.result': 'no_answer',
      'contact.phone': ['+79169999999'],
      'contact.name': 'Анна',
      'lead.price': 150_000,
    });
    expect([ctx.source, ctx.event]).toEqual(['import', 'call.finished']);
  });
});
