import type { AmocrmWebhookChange } from '../../amocrm/webhooks';
import type { LptrackerWritePlan } from '../mappings/mapping.types';
import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import { changeOfLead, pendingWrites, snapshotOf } from './lptracker-backflow.service';

const plan = (over: Partial<LptrackerWritePlan> = {}): LptrackerWritePlan => ({
  stageId: null,
  ownerId: null,
  name: null,
  custom: {},
  written: [],
  problems: [],
  ...over,
});

describe('back-flow: what is sent to LPTracker', () => {
  it('sends the stage after a status move when it differs from the stage the link saw', () => {
    const link = { lptrackerStageId: 1, lastSeen: null };
    expect(pendingWrites(plan({ stageId: 2 }), link, true)).toEqual({
      stageId: 2,
      patch: null,
      seen: { 'lead.stage': ['2'] },
    });
    expect(pendingWrites(plan({ stageId: 1 }), link, true).stageId).toBeUndefined();
  });

  it('does not send the stage again when the amoCRM status did not move (an update of another field)', () => {
    expect(pendingWrites(plan({ stageId: 2 }), { lptrackerStageId: 1, lastSeen: null }, false)).toEqual({
      stageId: undefined,
      patch: null,
      seen: {},
    });
  });

  it('sends in one patch only the custom values, name and owner that differ from lastSeen', () => {
    const link = {
      lptrackerStageId: null,
      lastSeen: { 'lead.custom.5': ['VIP'], 'lead.name': ['Кухня'], 'lead.owner': ['3'] },
    };
    const writes = pendingWrites(
      plan({ custom: { '5': 'VIP', '6': 'завтра' }, name: 'Кухня', ownerId: 4 }),
      link,
      false,
    );
    expect(writes.patch).toEqual({ owner: 4, custom: { '6': 'завтра' } });
    expect(writes.seen).toEqual({ 'lead.owner': ['4'], 'lead.custom.6': ['завтра'] });
    expect(pendingWrites(plan({ custom: { '5': 'VIP' } }), link, true).patch).toBeNull();
  });

  it('reads the amoCRM lead from the webhook change (enum ids kept, fields without id dropped)', () => {
    const change = {
      entity: 'lead',
      action: 'status',
      id: 9,
      name: 'Сделка',
      price: 100,
      pipelineId: 1,
      statusId: 2,
      responsibleUserId: 3,
      tags: [{ id: 1, name: 'горячий' }],
      customFields: [
        { id: 7, name: 'Тип', code: null, values: [{ value: 'Опт', enum: 70 }] },
        { id: null, name: 'x', code: 'PHONE', values: [{ value: '1', enum: null }] },
      ],
    } as unknown as AmocrmWebhookChange;
    expect(snapshotOf(change)).toEqual({
      name: 'Сделка',
      price: 100,
      pipelineId: 1,
      statusId: 2,
      responsibleUserId: 3,
      tags: ['горячий'],
      customFields: [{ fieldId: 7, values: [{ value: 'Опт', enumId: 70 }] }],
      contact: null,
    });
  });

  it('reads a lead read back by reconciliation the same way', () => {
    const lead = {
      id: 9,
      name: 'Сделка',
      price: null,
      pipeline_id: 1,
      status_id: 2,
      responsible_user_id: 3,
      custom_fields_values: [{ field_id: 7, values: [{ value: 'Опт', enum_id: 70 }] }],
      _embedded: { tags: [{ id: 1, name: 'горячий' }] },
    } as unknown as AmoLead;
    expect(changeOfLead(lead)).toEqual({
      id: 9,
      pipelineId: 1,
      statusId: 2,
      snapshot: {
        name: 'Сделка',
        price: null,
        pipelineId: 1,
        statusId: 2,
        responsibleUserId: 3,
        tags: ['горячий'],
        customFields: [{ fieldId: 7, values: [{ value: 'Опт', enumId: 70 }] }],
        contact: null,
      },
    });
  });
});
