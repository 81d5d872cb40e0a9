import { InboxBadRequest, type InboxDelivery } from '../inbox/source-adapter';
import type { EngineWriteNotice } from '../sync/engine-writes';
import {
  acceptEngineWrite,
  engineWriteBody,
  engineWriteKey,
  parseEngineWriteBody,
} from './engine-write-delivery';

const NOTICE: EngineWriteNotice = {
  workspaceId: 'ws',
  origin: 'api',
  events: ['lead.updated', 'lead.stage_changed'],
  entity: 'lead',
  id: '019af0a1-0000-7000-8000-000000000001',
  amocrmId: '8001',
  changedFields: ['lead.status'],
  old: { 'lead.status': 100 },
  occurredAt: new Date('2026-12-07T12:00:00.123Z'),
};

const delivery = (body: unknown, contentType = 'application/json'): InboxDelivery => ({
  workspaceId: 'ws',
  source: 'api',
  headers: {},
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  contentType,
});

const refused = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof InboxBadRequest) return error.message;
    throw error;
  }
  throw new Error('not refused');
};

describe('engine write deliveries (sources api and import)', () => {
  it('a notice round-trips; its key names entity, id, events and time; the type is the most telling event', () => {
    const raw = Buffer.from(engineWriteBody(NOTICE, true));
    const body = parseEngineWriteBody(raw, 'api');
    expect(body).toEqual({
      origin: 'api',
      entity: 'lead',
      id: NOTICE.id,
      amocrmId: '8001',
      events: ['lead.updated', 'lead.stage_changed'],
      changedFields: ['lead.status'],
      old: { 'lead.status': 100 },
      occurredAt: '2026-12-07T12:00:00.123Z',
      watched: true,
    });
    const accepted = acceptEngineWrite(delivery(JSON.parse(raw.toString())), 'api');
    expect(accepted.eventType).toBe('lead.stage_changed');
    expect(accepted.keys).toEqual([
      {
        key: `lead:${NOTICE.id}:lead.updated+lead.stage_changed:2026-12-07T12%3A00%3A00.123Z`,
        entityType: 'lead',
        entityId: '8001',
      },
    ]);
    const later = engineWriteKey({ ...body, occurredAt: '2026-12-07T12:00:00.124Z' });
    expect(later.key).not.toBe(accepted.keys[0].key);
    const other = engineWriteKey({ ...body, events: ['lead.updated'] });
    expect(other.key).not.toBe(accepted.keys[0].key);
    expect(engineWriteKey({ ...body, amocrmId: null }).entityId).toBe(NOTICE.id);
  });

  it('a write no rule of its source watched names no change (stored skipped, never queued), yet is listed', () => {
    const raw = JSON.parse(engineWriteBody(NOTICE, false)) as unknown;
    const accepted = acceptEngineWrite(delivery(raw), 'api');
    expect(accepted.keys).toEqual([]);
    expect(accepted.summary).toEqual({ entity: 'lead', id: '8001', events: NOTICE.events });
  });

  it('refuses what the engine never writes: another origin, unknown events, bad ids, prototype keys, stray old values', () => {
    const good = JSON.parse(engineWriteBody(NOTICE, true)) as Record<string, unknown>;
    const parse = (body: unknown) => () => parseEngineWriteBody(Buffer.from(JSON.stringify(body)), 'api');
    expect(refused(parse({ ...good, origin: 'import' }))).toMatch(/origin/);
    expect(refused(parse({ ...good, events: ['lead.deleted'] }))).toMatch(/events/);
    expect(refused(parse({ ...good, events: [] }))).toMatch(/events/);
    expect(refused(parse({ ...good, events: ['lead.updated', 'lead.updated'] }))).toMatch(/repeats/);
    expect(refused(parse({ ...good, entity: 'company' }))).toMatch(/entity/);
    expect(refused(parse({ ...good, id: '../../x' }))).toMatch(/id/);
    expect(refused(parse({ ...good, amocrmId: 12 }))).toMatch(/amocrmId/);
    expect(refused(parse({ ...good, occurredAt: 'yesterday' }))).toMatch(/occurredAt/);
    expect(refused(parse({ ...good, watched: 'yes' }))).toMatch(/watched/);
    expect(refused(parse({ ...good, old: { 'lead.price': 1 } }))).toMatch(/not a changed field/);
    expect(refused(parse({ ...good, old: { 'lead.status': { deep: 1 } } }))).toMatch(/field value/);
    expect(refused(parse([good]))).toMatch(/object/);
    const proto = engineWriteBody(NOTICE, true).replace('"old":{', '"old":{"__proto__":{"x":1},');
    expect(refused(() => parseEngineWriteBody(Buffer.from(proto), 'api'))).toMatch(/__proto__/);
    expect(refused(() => parseEngineWriteBody(Buffer.from('{'), 'api'))).toMatch(/JSON/);
    expect(refused(() => acceptEngineWrite(delivery(good, 'text/plain'), 'api'))).toMatch(/json/);
    expect(refused(() => parseEngineWriteBody(Buffer.alloc(300 * 1024, 32), 'api'))).toMatch(/bytes/);
  });
});
