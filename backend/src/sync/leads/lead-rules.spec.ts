import type { AmoLead } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmMetadata, AmocrmPipelineMeta } from '../../amocrm/metadata/amocrm-metadata.types';
import { isOpenStatus } from '../../leads/lead-status';
import { leadNameKey, pickReusableLead, resolvePlacement, sameLeadName } from './lead-rules';

function lead(id: number, name: string, statusId: number, extra: Partial<AmoLead> = {}): AmoLead {
  return {
    id,
    name,
    price: 0,
    responsible_user_id: 1,
    status_id: statusId,
    pipeline_id: 1,
    created_at: id,
    updated_at: id,
    custom_fields_values: null,
    ...extra,
  };
}

const pipeline = (id: number, isMain: boolean, statusIds: number[]): AmocrmPipelineMeta => ({
  id,
  name: `p${id}`,
  isMain,
  isArchive: false,
  sort: id,
  statuses: [
    { id: id * 100, name: 'Неразобранное', color: null, type: 1, sort: 10 },
    ...statusIds.map((statusId, index) => ({
      id: statusId,
      name: `s${statusId}`,
      color: null,
      type: 0,
      sort: 20 + index,
    })),
    { id: 142, name: 'Успешно', color: null, type: 0, sort: 10_000 },
    { id: 143, name: 'Закрыто', color: null, type: 0, sort: 11_000 },
  ],
});

const metadata: AmocrmMetadata = {
  account: { id: 1, name: 'a', subdomain: 'a', currentUserId: 1, currency: 'RUB' },
  users: [],
  pipelines: [
    pipeline(2, false, [21, 22]),
    pipeline(1, true, [11, 12]),
    { ...pipeline(3, false, [31]), isArchive: true },
  ],
  contactFields: [],
  leadFields: [],
  fetchedAt: new Date(),
};

describe('the lead reuse rule', () => {
  it('reuses an open lead with the same name (trimmed, ignoring case), the newest of several', () => {
    const leads = [lead(1, 'Заявка', 11), lead(3, ' заявка ', 12), lead(2, 'ЗАЯВКА', 11)];
    expect(pickReusableLead(leads, 'Заявка')?.id).toBe(3);
  });

  it('never reuses won, lost or deleted leads, nor other names', () => {
    const leads = [
      lead(1, 'Заявка', 142),
      lead(2, 'Заявка', 143),
      lead(3, 'Заявка', 11, { is_deleted: true }),
      lead(4, 'Заявка 2', 11),
    ];
    expect(pickReusableLead(leads, 'Заявка')).toBeUndefined();
  });

  it('knows open statuses and compares names like the database does', () => {
    expect([isOpenStatus(11), isOpenStatus(142), isOpenStatus(143), isOpenStatus(null)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(sameLeadName('Заявка с сайта ', 'заявка С сайта')).toBe(true);
    expect(leadNameKey(' Заявка ')).toBe(leadNameKey('заявка'));
    expect(leadNameKey('Заявка')).not.toBe(leadNameKey('Заявка 2'));
  });
});

describe('placing a lead in a pipeline and status', () => {
  const place = (
    wanted: { pipelineId?: number; statusId?: number },
    current?: { pipelineId: number | null },
  ) => {
    const result = resolvePlacement(metadata, wanted, current);
    return result.placement
      ? `${result.placement.pipeline.id}/${result.placement.status.id}`
      : result.errors.map((error) => `${error.field} ${error.code}`).join(', ');
  };

  it('defaults to the main pipeline’s first working stage (not incoming)', () => {
    expect(place({})).toBe('1/11');
    expect(place({ pipelineId: 2 })).toBe('2/21');
  });

  it('finds the pipeline of a status, the main one first for won/lost', () => {
    expect(place({ statusId: 22 })).toBe('2/22');
    expect(place({ statusId: 142 })).toBe('1/142');
    expect(place({ pipelineId: 2, statusId: 143 })).toBe('2/143');
  });

  it('refuses unknown and archived pipelines, unknown statuses and statuses of another pipeline', () => {
    expect(place({ pipelineId: 9 })).toBe('pipelineId unknownPipeline');
    expect(place({ pipelineId: 3 })).toBe('pipelineId archivedPipeline');
    expect(place({ statusId: 99 })).toBe('statusId unknownStatus');
    expect(place({ pipelineId: 1, statusId: 21 })).toBe('statusId otherPipeline');
  });

  it('for an update: a status alone must be in the lead’s pipeline; nothing asked moves nothing', () => {
    expect(place({ statusId: 12 }, { pipelineId: 1 })).toBe('1/12');
    expect(place({ statusId: 21 }, { pipelineId: 1 })).toBe('statusId otherPipeline');
    expect(place({ statusId: 142 }, { pipelineId: 2 })).toBe('2/142');
    expect(resolvePlacement(metadata, {}, { pipelineId: 1 })).toEqual({ errors: [] });
  });
});
