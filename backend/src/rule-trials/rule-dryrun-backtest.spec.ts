import type { AppConfig } from '../config/app-config';
import type { ContactsService } from '../contacts/contacts.service';
import type { InboxEventsService } from '../inbox/inbox-events.service';
import type { StoredBodyRow } from '../inbox/inbox-event-queries.repository';
import type { LptrackerLinksService } from '../sync/lptracker/lptracker-links.service';
import type { RuleMappedService } from '../sync/rules/rule-mapped.service';
import { RuleValidationService } from '../sync/rules/rule-validation.service';
import type { RulesService } from '../sync/rules/rules.service';
import { RULE_META } from '../sync/rules/testing/rule-test-metadata';
import { explainSubjects, type RuleUnderTest } from './rule-dryrun-evaluate';
import { payloadBody, subjectsOf, type StoredSource } from './rule-dryrun-subjects';
import { RuleDryRunService } from './rule-dryrun.service';

/**
 * The backtest's quick pass (keyset pages read ahead, bodies only of sources that can fit, phones left out when
 * the rule reads none) counts exactly what the full path (every body read with phones, each event explained)
 * gives, over more events than one page and varied bodies.
 */
const STORED: Record<string, StoredSource> = { lptracker: 'lptracker', amocrm: 'amocrm' };

function storedEvents(total: number): StoredBodyRow[] {
  const rows: StoredBodyRow[] = [];
  for (let i = 0; i < total; i++) {
    const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 1000); // ties on time: keyset by id
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    if (i % 7 === 3) {
      const amo = payloadBody('amocrm', { leads: { status: [{ id: i, status_id: 142, pipeline_id: 1 }] } });
      rows.push({ id, source: 'amocrm', eventType: 'lead.status', createdAt, ...amo });
      continue;
    }
    const phone = i % 5 === 0 ? '8 (916) 123-45-67' : i % 5 === 1 ? '+7 495 000 00 00' : 'не номер';
    const body =
      i % 11 === 4
        ? '{"broken":'
        : JSON.stringify({
            action: i % 4 === 0 ? 'update' : 'create',
            id: 1000 + i,
            project_id: 1,
            name: `Заявка ${i}`,
            view: { source: i % 3 === 0 ? 'yandex.direct' : 'google' },
            contact: { id: i, name: 'Клиент', details: [{ type: 'phone', data: phone }] },
          });
    rows.push({
      id,
      source: 'lptracker',
      eventType: 'lead.create',
      createdAt,
      contentType: 'application/json',
      rawBody: Buffer.from(body),
    });
  }
  // newest first, ties by id descending: the order bodiesPage answers in
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}

function fakeEvents(rows: StoredBodyRow[], calls: { limit: number }[]) {
  return {
    bodiesPage: (
      _workspaceId: string,
      filter: { sources: readonly string[]; bodySources?: readonly string[] },
      after: { createdAt: Date; id: string } | null,
      limit: number,
    ): Promise<StoredBodyRow[]> => {
      calls.push({ limit });
      const rest = rows.filter(
        (row) =>
          filter.sources.includes(row.source) &&
          (after === null ||
            row.createdAt < after.createdAt ||
            (row.createdAt.getTime() === after.createdAt.getTime() && row.id < after.id)),
      );
      return Promise.resolve(
        rest.slice(0, limit).map((row) => ({
          ...row,
          rawBody: filter.bodySources && !filter.bodySources.includes(row.source) ? null : row.rawBody,
        })),
      );
    },
  };
}

function serviceOver(rows: StoredBodyRow[], calls: { limit: number }[]): RuleDryRunService {
  const validation = {
    validate: (_workspaceId: string, draft: unknown) => Promise.resolve(draft),
    metadata: () => Promise.resolve(RULE_META),
  };
  return new RuleDryRunService(
    fakeEvents(rows, calls) as unknown as InboxEventsService,
    {} as RulesService,
    validation as unknown as RuleValidationService,
    {
      findByLptrackerLead: () => Promise.resolve(null),
      findByAmocrmLeadIds: () => Promise.resolve([]),
    } as unknown as LptrackerLinksService,
    { defaultPhoneRegion: 'RU' } as AppConfig,
    { mapped: () => Promise.resolve(null) } as unknown as RuleMappedService,
    { mirrorRowsOf: () => Promise.resolve([]) } as unknown as ContactsService,
  );
}

function fullCounts(rule: RuleUnderTest, rows: StoredBodyRow[]): Record<string, number> {
  const typeOf = RuleValidationService.typeOf(RULE_META);
  const counts: Record<string, number> = { matched: 0, conditions: 0, trigger: 0 };
  for (const row of rows) {
    let subjects: ReturnType<typeof subjectsOf> = [];
    try {
      subjects = subjectsOf(STORED[row.source], row.rawBody!, row.contentType, 'RU');
    } catch {
      subjects = [];
    }
    const ids = { ruleId: null, version: null };
    counts[explainSubjects(rule, subjects, typeOf, ids).explanation.outcome] += 1;
  }
  return counts;
}

const lpRule = (conditions: RuleUnderTest['conditions']): RuleUnderTest => ({
  name: 'Проба',
  trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
  conditions,
  actions: [{ type: 'add_tags', tags: ['VIP'] }],
});

const amoRule: RuleUnderTest = {
  name: 'amo',
  trigger: { source: 'amocrm', events: ['lead.stage_changed'], changedFields: [] },
  conditions: { all: [] },
  actions: [{ type: 'add_tags', tags: ['x'] }],
};

describe('backtest: quick pass = full path', () => {
  const rows = storedEvents(4_600);
  const range = { from: '2025-12-31', to: '2026-02-01' };

  it.each([
    [
      'a view condition (phones left out)',
      lpRule({ all: [{ field: 'view.source', op: 'contains', value: 'yandex' }] }),
    ],
    ['a phone condition', lpRule({ all: [{ field: 'contact.phone', op: 'starts_with', value: '+7916' }] })],
    ['an amoCRM trigger (LPTracker bodies not read)', amoRule],
  ])('%s: counts by outcome over three pages, every event once', async (_name, rule) => {
    const calls: { limit: number }[] = [];
    const result = await serviceOver(rows, calls).backtest('ws', { draft: true }, { rule, ...range });
    const full = fullCounts(rule, rows);
    expect(full.matched).toBeGreaterThan(0);
    expect(full.trigger).toBeGreaterThan(0);
    expect(result.byOutcome).toEqual(full);
    expect(result.scanned).toBe(rows.length);
    expect(result.truncated).toBe(false);
    expect(calls.length).toBe(3);
    expect(new Set(result.samples.map((sample) => sample.eventId)).size).toBe(result.samples.length);
    expect(result.samples.length).toBe(20);
    if (full.matched > 0) expect(result.samples[0].outcome).toBe('matched');
  });
});
