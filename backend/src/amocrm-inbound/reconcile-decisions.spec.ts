import type { AmoLead } from '../amocrm/client/amocrm-api.types';
import type { LeadEntity } from '../leads/lead.entity';
import { alreadyApplied } from './reconcile-decisions';
import { mirrorLeadData, type MappingContext } from './webhook-mapping';

const mapping: MappingContext = { metadata: null, region: 'RU', syncedAt: new Date() };
const listed: AmoLead = {
  id: 18000001,
  name: 'Сделка',
  price: 1000,
  responsible_user_id: 8100001,
  status_id: 61000001,
  pipeline_id: 7200001,
  created_at: 1795315100,
  updated_at: 1795315186,
  custom_fields_values: null,
  _embedded: { tags: [{ id: 1, name: 'сайт' }] },
};
const row = (over: Partial<LeadEntity> = {}) =>
  ({ ...mirrorLeadData(listed, null, mapping), id: 'row', deletedAt: null, ...over }) as LeadEntity;

describe('reconciliation: is a listed entity already in the mirror?', () => {
  it('passes over a version the mirror applied with the same content', () => {
    expect(alreadyApplied(listed, row(), 1795315186, mapping)).toBe(true);
    expect(alreadyApplied(listed, row(), 1795315190, mapping)).toBe(true);
  });

  it('feeds a newer version, an unknown or deleted row, or other content within the same second', () => {
    expect(alreadyApplied(listed, row(), 1795315100, mapping)).toBe(false);
    expect(alreadyApplied(listed, row(), null, mapping)).toBe(false);
    expect(alreadyApplied(listed, undefined, 1795315186, mapping)).toBe(false);
    expect(alreadyApplied(listed, row({ deletedAt: new Date() }), 1795315186, mapping)).toBe(false);
    expect(alreadyApplied(listed, row({ statusId: 142 }), 1795315186, mapping)).toBe(false);
    expect(alreadyApplied(listed, row({ tags: [] }), 1795315186, mapping)).toBe(false);
  });
});
