import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';

import { settle } from '../../testing/overlay-helpers';
import { byTestId, makeUser, queryTestId, storeSession, text } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import type { RuleField } from './rule-catalog';
import { RULE_TEST_DEBOUNCE_MS, RuleTestPanel } from './rule-test-panel';
import type { BacktestResult, RuleBody } from './rules.models';

const DRAFT: RuleBody = {
  name: 'VIP',
  enabled: true,
  trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
  conditions: { all: [{ field: 'lead.price', op: 'gt', value: 100000 }] },
  actions: [{ type: 'add_tags', tags: ['VIP'] }, { type: 'stop' }],
};

const FIELDS: RuleField[] = [
  { ref: 'lead.price', name: 'Бюджет', type: 'number', group: 'lead', options: null },
];

const RESULT: BacktestResult = {
  scanned: 20,
  matched: 1,
  byOutcome: { matched: 1, trigger: 15, conditions: 4 },
  samples: [
    {
      eventId: 'e1',
      receivedAt: '2026-03-05T10:00:00.000Z',
      source: 'lptracker',
      eventType: 'lead.created',
      outcome: 'matched',
      explanation: {
        ruleId: null,
        version: null,
        name: 'VIP',
        outcome: 'matched',
        conditions: [
          {
            path: 'conditions.all[0]',
            field: 'lead.price',
            op: 'gt',
            value: 100000,
            actual: 150000,
            matched: true,
          },
        ],
        actions: [{ type: 'add_tags', tags: ['VIP'] }, { type: 'stop' }],
      },
      requests: [
        {
          system: 'amocrm',
          method: 'PATCH',
          path: '/api/v4/leads/5',
          body: { _embedded: { tags: [{ name: 'VIP' }] } },
        },
      ],
    },
    {
      eventId: 'e2',
      receivedAt: '2026-03-05T09:00:00.000Z',
      source: 'lptracker',
      eventType: 'lead.created',
      outcome: 'conditions',
      explanation: {
        ruleId: null,
        version: null,
        name: 'VIP',
        outcome: 'conditions',
        conditions: [
          {
            path: 'conditions.all[0]',
            field: 'lead.price',
            op: 'gt',
            value: 100000,
            actual: 5000,
            matched: false,
          },
        ],
        actions: [],
      },
      requests: [],
    },
  ],
};

describe('RuleTestPanel', () => {
  let fixture: ComponentFixture<RuleTestPanel>;
  let backend: HttpTestingController;

  async function open(debounceMs: number | null = null): Promise<void> {
    localStorage.clear();
    storeSession(makeUser('admin'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: RULE_TEST_DEBOUNCE_MS, useValue: debounceMs },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RuleTestPanel);
    fixture.componentRef.setInput('rule', DRAFT);
    fixture.componentRef.setInput('fields', FIELDS);
    await settle();
  }

  afterEach(() => backend.verify());

  it('tries the draft on the 20 newest events and explains each sample', async () => {
    await open();
    byTestId(fixture, 'rule-test-run').click();
    const request = backend.expectOne((req) => req.method === 'POST' && req.url === '/api/v1/rules/backtest');
    expect(request.request.body).toEqual({ rule: DRAFT, last: 20 });
    request.flush(RESULT);
    await settle();

    expect(text(byTestId(fixture, 'rule-test-summary'))).toContain('Просмотрено событий: 20, подошло: 1');
    const samples = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(
        '[data-testid="rule-test-sample"]',
      ),
    );
    expect(samples.map((sample) => sample.dataset['outcome'])).toEqual(['matched', 'conditions']);
    const [first, second] = samples;
    expect(text(first.querySelector('[data-testid="rule-test-condition"]'))).toBe(
      '✓ Бюджет больше 100000 (было: 150000)',
    );
    expect(Array.from(first.querySelectorAll('[data-testid="rule-test-action"]')).map(text)).toEqual([
      'Добавить теги',
      'Остановить правила',
    ]);
    expect(text(first.querySelector('[data-testid="rule-test-request"] code'))).toBe(
      'amocrm PATCH /api/v4/leads/5',
    );
    expect(text(second.querySelector('[data-testid="rule-test-condition"]'))).toBe(
      '✗ Бюджет больше 100000 (было: 5000)',
    );
    expect(second.querySelector('[data-testid="rule-test-action"]')).toBeNull();
  });

  it('tries the draft again by itself a moment after the admin stops editing it (once for a burst of edits)', async () => {
    const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 120));
    await open(30);
    await pause();
    backend.expectOne('/api/v1/rules/backtest').flush(RESULT);
    await settle();
    const edited = (value: number): RuleBody => ({
      ...DRAFT,
      conditions: { all: [{ field: 'lead.price', op: 'gt', value }] },
    });
    fixture.componentRef.setInput('rule', edited(200000));
    await settle();
    fixture.componentRef.setInput('rule', edited(300000));
    await settle();
    await pause();
    const request = backend.expectOne('/api/v1/rules/backtest');
    expect(request.request.body).toEqual({ rule: edited(300000), last: 20 });
    request.flush(RESULT);
    await settle();
    expect(text(byTestId(fixture, 'rule-test-summary'))).toContain('подошло: 1');
  });

  it('says plainly that testing is not available while the server has no such route', async () => {
    await open();
    byTestId(fixture, 'rule-test-run').click();
    backend
      .expectOne('/api/v1/rules/backtest')
      .flush({ title: 'Not Found', status: 404 }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(text(byTestId(fixture, 'rule-test-unavailable'))).toContain('Проверка пока недоступна');
    expect(queryTestId(fixture, 'rule-test-summary')).toBeNull();
    expect((byTestId(fixture, 'rule-test-run') as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks to fix the rule when the server refuses the draft', async () => {
    await open();
    byTestId(fixture, 'rule-test-run').click();
    backend.expectOne('/api/v1/rules/backtest').flush(
      {
        title: 'Bad Request',
        status: 400,
        errors: [{ field: 'conditions.all[0].value', message: 'value must be a number' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(text(byTestId(fixture, 'rule-test-invalid'))).toContain(
      'conditions.all[0].value: value must be a number',
    );
  });
});
