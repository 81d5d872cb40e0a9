import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { problem } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
} from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
  typeInto,
} from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import type { AmocrmMetadata } from '../core/amocrm/amocrm.models';
import type { LptrackerMetadata } from '../core/lptracker/lptracker.models';
import RuleEditorPage from './rule-editor-page';
import { RULE_TEST_DEBOUNCE_MS } from './rule-test-panel';
import type { Rule, RuleVersionView } from './rules.models';

const AMOCRM: AmocrmMetadata = {
  fetchedAt: '2026-03-05T10:00:00.000Z',
  account: { id: 1, name: 'Тест', subdomain: 'test', currentUserId: 77, currency: 'RUB' },
  users: [{ id: 77, name: 'Иванов', email: null, isAdmin: false, isActive: true }],
  pipelines: [
    {
      id: 1,
      name: 'VIP',
      isMain: true,
      statuses: [
        { id: 2, name: 'Новый VIP', color: null, type: 0 },
        { id: 3, name: 'Оплачено', color: null, type: 0 },
      ],
    },
  ],
  contactFields: [],
  leadFields: [
    { id: 501, name: 'Город', code: null, type: 'select', enums: [{ id: 9001, value: 'Москва' }] },
  ],
};

const LPTRACKER: LptrackerMetadata = {
  projects: [
    {
      projectId: 101,
      name: 'Сайт',
      domain: null,
      fetchedAt: '2026-03-05T10:00:00.000Z',
      customs: [{ id: 7, name: 'Тариф', type: 'select', options: ['Базовый', 'Про'] }],
      contactFields: [],
      funnel: [{ id: 11, name: 'Продажа' }],
      staff: [{ id: 5, name: 'Ирина', job: null }],
    },
  ],
};

/** The example rule (#13 §1), without the priority the server gives. */
const EXAMPLE = {
  name: 'VIP из Яндекса',
  enabled: true,
  trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
  conditions: {
    all: [
      { field: 'lead.price', op: 'gt', value: 100000 },
      {
        any: [
          { field: 'view.source', op: 'contains', value: 'yandex' },
          { not: { field: 'contact.email', op: 'empty' } },
        ],
      },
    ],
  },
  actions: [
    { type: 'move_stage', system: 'amocrm', pipelineId: 1, statusId: 2 },
    { type: 'add_tags', tags: ['VIP'] },
    { type: 'stop' },
  ],
};

function saved(version = 1): Rule {
  return {
    ...(structuredClone(EXAMPLE) as unknown as Rule),
    id: '11111111-1111-4111-8111-111111111111',
    priority: 10,
    version,
    schemaVersion: 1,
    updatedBy: 'admin@example.com',
    createdAt: '2026-03-05T10:00:00.000Z',
    updatedAt: '2026-03-05T10:00:00.000Z',
  };
}

describe('RuleEditorPage', { timeout: 30_000 }, () => {
  let fixture: ComponentFixture<RuleEditorPage>;
  let backend: HttpTestingController;

  async function open(id?: string): Promise<void> {
    localStorage.clear();
    storeSession(makeUser('admin'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: '**', children: [] }]),
        provideNoMaterialAnimations(),
        { provide: RULE_TEST_DEBOUNCE_MS, useValue: null },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RuleEditorPage);
    if (id) {
      fixture.componentRef.setInput('id', id);
    }
    await settle();
    backend.expectOne('/api/v1/connections/amocrm/metadata').flush(AMOCRM);
    backend.expectOne('/api/v1/connections/lptracker/metadata').flush(LPTRACKER);
    if (id) {
      backend.expectOne(`/api/v1/rules/${id}`).flush(saved(3));
    }
    await settle();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  const root = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const all = (scope: ParentNode, testId: string): HTMLElement[] =>
    Array.from(scope.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`));
  const groups = (): HTMLElement[] => all(root(), 'rule-group');
  const conditions = (): HTMLElement[] => all(root(), 'rule-condition');
  const actions = (): HTMLElement[] => all(root(), 'rule-action');
  const inside = (scope: HTMLElement | undefined, testId: string): HTMLElement => {
    const element = scope?.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!element) {
      throw new Error(`No ${testId}`);
    }
    return element;
  };

  async function click(element: HTMLElement): Promise<void> {
    element.click();
    await settle();
  }

  /** Opens a mat-select and returns its offered options (in the overlay). */
  async function openSelect(select: HTMLElement): Promise<HTMLElement[]> {
    (select.querySelector<HTMLElement>('.mat-mdc-select-trigger') ?? select).click();
    await settle();
    return Array.from(document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'));
  }

  async function choose(select: HTMLElement, label: string): Promise<void> {
    const option = (await openSelect(select)).find((candidate) => text(candidate) === label);
    if (!option) {
      throw new Error(`No option ${label}`);
    }
    await click(option);
  }

  async function pickField(condition: HTMLElement | undefined, query: string, ref: string): Promise<void> {
    const input = inside(condition, 'rule-condition-field') as HTMLInputElement;
    input.focus();
    typeInto(input, query);
    await settle();
    const option = document.querySelector<HTMLElement>(`.cdk-overlay-container [data-ref="${ref}"]`);
    if (!option) {
      throw new Error(`No field ${ref}`);
    }
    await click(option);
  }

  async function setInput(element: HTMLElement, value: string): Promise<void> {
    (element as HTMLInputElement).value = value;
    element.dispatchEvent(new Event('input'));
    element.dispatchEvent(new Event('change'));
    await settle();
  }

  it('builds the nested JSON of the issue example from the constructor', async () => {
    await open();
    await setInput(byTestId(fixture, 'rule-name'), 'VIP из Яндекса');

    // Budget > 100 000 at the top.
    await click(inside(groups()[0], 'rule-group-add-condition'));
    await pickField(conditions()[0], 'бюдж', 'lead.price');
    await choose(inside(conditions()[0], 'rule-condition-op'), 'больше');
    await setInput(inside(conditions()[0], 'rule-condition-value'), '100000');

    // A nested «any» group: source contains yandex, or NOT (e-mail empty).
    await click(all(groups()[0], 'rule-group-add-group').at(-1)!);
    const anyGroup = groups()[1];
    expect(anyGroup?.getAttribute('data-kind')).toBe('any');
    await click(inside(anyGroup, 'rule-group-add-condition'));
    await pickField(conditions()[1], 'utm_source', 'view.source');
    await choose(inside(conditions()[1], 'rule-condition-op'), 'содержит');
    await setInput(inside(conditions()[1], 'rule-condition-value'), 'yandex');
    await click(all(anyGroup, 'rule-group-add-group').at(-1)!);
    const notGroup = groups()[2];
    await click(inside(notGroup, 'rule-group-kind-not').querySelector('button') as HTMLElement);
    await click(inside(groups()[2], 'rule-group-add-condition'));
    await pickField(conditions()[2], 'mail', 'contact.email');
    await choose(inside(conditions()[2], 'rule-condition-op'), 'пусто');
    expect(conditions()[2]?.querySelector('[data-testid="rule-condition-value"]')).toBeNull();

    // Actions: move to VIP → «Новый VIP», tag VIP, stop.
    await click(byTestId(fixture, 'rule-action-add'));
    await choose(inside(actions()[0], 'rule-action-type'), 'Перевести на этап');
    await choose(inside(actions()[0], 'rule-action-pipeline'), 'VIP');
    await choose(inside(actions()[0], 'rule-action-status'), 'Новый VIP');
    await click(byTestId(fixture, 'rule-action-add'));
    await choose(inside(actions()[1], 'rule-action-type'), 'Добавить теги');
    await setInput(inside(actions()[1], 'rule-action-tags'), 'VIP');
    await click(byTestId(fixture, 'rule-action-add'));
    await choose(inside(actions()[2], 'rule-action-type'), 'Остановить правила');

    await click(byTestId(fixture, 'rule-save'));
    const request = backend.expectOne((req) => req.method === 'POST' && req.url === '/api/v1/rules');
    expect(request.request.body).toEqual(EXAMPLE);
    request.flush(saved());
    await settle();
  });

  it('offers the operators that fit the field type', async () => {
    await open();
    await click(inside(groups()[0], 'rule-group-add-condition'));

    await pickField(conditions()[0], 'бюдж', 'lead.price');
    let ops = (await openSelect(inside(conditions()[0], 'rule-condition-op'))).map((o) => o.dataset['op']);
    expect(ops).toEqual(expect.arrayContaining(['gt', 'gte', 'lt', 'lte', 'between', 'eq', 'in']));
    expect(ops).not.toContain('contains');
    expect(ops).not.toContain('regex');
    // between takes two values
    await click(document.querySelector<HTMLElement>('.cdk-overlay-container [data-op="between"]')!);
    expect(queryTestId(fixture, 'rule-condition-from')).not.toBeNull();
    expect(queryTestId(fixture, 'rule-condition-to')).not.toBeNull();

    await pickField(conditions()[0], 'utm_source', 'view.source');
    ops = (await openSelect(inside(conditions()[0], 'rule-condition-op'))).map((o) => o.dataset['op']);
    expect(ops).toEqual(expect.arrayContaining(['contains', 'starts_with', 'regex', 'eq']));
    expect(ops).not.toContain('gt');
    expect(ops).not.toContain('between');
    await click(document.querySelector<HTMLElement>('.cdk-overlay-container [data-op="eq"]')!);

    // An enum field: its options to pick from, compared by id.
    await pickField(conditions()[0], 'Город', 'lead.custom.501');
    ops = (await openSelect(inside(conditions()[0], 'rule-condition-op'))).map((o) => o.dataset['op']);
    expect(ops).not.toContain('contains');
    expect(ops).not.toContain('gt');
    await click(document.querySelector<HTMLElement>('.cdk-overlay-container [data-op="eq"]')!);
    const offered = (await openSelect(inside(conditions()[0], 'rule-condition-value'))).map(text);
    expect(offered).toEqual(['Москва']);
  });

  it('offers users, pipelines and stages of both systems as the values of a condition, by name', async () => {
    await open();
    await click(inside(groups()[0], 'rule-group-add-condition'));
    const valuesOf = async (query: string, ref: string): Promise<string[]> => {
      await pickField(conditions()[0], query, ref);
      await choose(inside(conditions()[0], 'rule-condition-op'), 'равно');
      const options = await openSelect(inside(conditions()[0], 'rule-condition-value'));
      const offered = options.map(text);
      await click(options[0]);
      return offered;
    };
    expect(await valuesOf('Ответственный', 'lead.responsible')).toEqual(['Иванов']);
    expect(await valuesOf('Воронка', 'lead.pipeline')).toEqual(['VIP']);
    expect(await valuesOf('Этап сделки', 'lead.status')).toEqual(['VIP → Новый VIP', 'VIP → Оплачено']);
    expect(await valuesOf('Этап LPTracker', 'lptracker.stage')).toEqual(['Продажа']);
    expect(await valuesOf('в LPTracker', 'lptracker.owner')).toEqual(['Ирина']);
  });

  it('shows each error of a refused save on the control its path names', async () => {
    await open('11111111-1111-4111-8111-111111111111');
    expect(conditions()).toHaveLength(3);
    await click(byTestId(fixture, 'rule-save'));
    backend
      .expectOne(
        (req) => req.method === 'PUT' && req.url === '/api/v1/rules/11111111-1111-4111-8111-111111111111',
      )
      .flush(
        ...problem(400, {
          errors: [
            { field: 'conditions.all[1].any[0].value', message: 'value is too long' },
            {
              field: 'conditions.all[1].any[1].not.field',
              message: 'contact.email is not a field rules can read',
            },
            { field: 'actions[0].statusId', message: 'statusId is not a stage of pipeline 1' },
          ],
        }),
      );
    await settle();

    const source = conditions()[1];
    expect(source?.getAttribute('data-path')).toBe('conditions.all[1].any[0]');
    expect(text(inside(source, 'rule-condition-value-error'))).toBe('value is too long');
    expect(conditions()[0]?.querySelector('[data-testid="rule-condition-value-error"]')).toBeNull();
    const email = conditions()[2];
    expect(email?.getAttribute('data-path')).toBe('conditions.all[1].any[1].not');
    expect(text(inside(email, 'rule-condition-field-error'))).toBe(
      'contact.email is not a field rules can read',
    );
    expect(text(inside(actions()[0], 'rule-action-field-error'))).toBe(
      'statusId is not a stage of pipeline 1',
    );
    expect(all(root(), 'rule-error-item')).toHaveLength(3);
  });

  it('restores an older version only after a confirmation', async () => {
    await open('11111111-1111-4111-8111-111111111111');
    await click(byTestId(fixture, 'rule-history'));
    const versions: RuleVersionView[] = [3, 2, 1].map((version) => ({
      ruleId: '11111111-1111-4111-8111-111111111111',
      version,
      document: {
        ...EXAMPLE,
        name: `v${version}`,
        priority: 10,
        schemaVersion: 1,
      } as RuleVersionView['document'],
      settingsVersion: 10 + version,
      origin: 'update',
      createdBy: 'admin@example.com',
      createdAt: '2026-03-05T10:00:00.000Z',
    }));
    backend
      .expectOne((req) => req.url === '/api/v1/rules/11111111-1111-4111-8111-111111111111/versions')
      .flush({ items: versions, total: 3, page: 1, limit: 100 });
    await settle();

    const restoreOf = (version: number): HTMLElement =>
      document.querySelector<HTMLElement>(
        `.cdk-overlay-container [data-version="${version}"] [data-testid="rule-version-restore"]`,
      )!;
    // What changed in version 2.
    await click(
      document.querySelector<HTMLElement>(
        '.cdk-overlay-container [data-version="2"] [data-testid="rule-version-diff"]',
      )!,
    );
    backend
      .expectOne((req) => req.url.endsWith('/diff') && req.params.get('to') === '2')
      .flush({ from: 1, to: 2, changes: [{ path: 'name', before: 'v1', after: 'v2' }] });
    await settle();
    expect(text(overlayTestId('rule-version-changes'))).toBe('name: "v1" → "v2"');

    // Cancelled: nothing is sent.
    await click(restoreOf(1));
    await click(overlayTestId('confirm-cancel'));
    backend.expectNone((req) => req.url.includes('/restore'));

    await click(restoreOf(1));
    expect(text(overlayTestId('confirm-ok'))).toBe('Вернуть');
    await click(overlayTestId('confirm-ok'));
    backend
      .expectOne(
        (req) =>
          req.method === 'POST' &&
          req.url === '/api/v1/rules/11111111-1111-4111-8111-111111111111/versions/1/restore',
      )
      .flush({ ...saved(4), name: 'v1' });
    await settle();
    expect((byTestId(fixture, 'rule-name') as HTMLInputElement).value).toBe('v1');
    expect(text(byTestId(fixture, 'rule-version'))).toBe('Версия 4');
  });
});
