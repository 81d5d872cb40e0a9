import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { problem } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  provideNoMaterialAnimations,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { byTestId, makeUser, queryTestId, storeSession, text, typeInto } from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import type { AlertItem, AlertPage, AlertSettings } from './alerts-api';
import AlertsPage from './alerts-page';

const TOKEN = '123456789:AAexampleexampleexampleexample_ok';

const SETTINGS: AlertSettings = {
  amocrmConnection: true,
  lptrackerConnection: true,
  amocrmWebhook: true,
  deadLetter: true,
  deadLetterCount: 1,
  inboxLag: true,
  inboxLagMinutes: 15,
  mappingBroken: true,
  importFailed: true,
  noWebhook: false,
  noWebhookHours: 4,
  workingDays: [1, 2, 3, 4, 5],
  workingHoursFrom: 9,
  workingHoursTo: 18,
  timeZone: 'Europe/Moscow',
  telegramChatId: '-1001234567890',
  tokenSet: true,
};

const alert = (overrides: Partial<AlertItem> = {}): AlertItem => ({
  id: '0190a000-0000-7000-8000-000000000001',
  condition: 'amocrm_webhook',
  subject: 'amocrm',
  state: 'active',
  title: 'amoCRM: уведомления не подключены',
  detail: 'amoCRM не присылает нам изменения сделок.',
  link: '/connections/amocrm',
  raisedAt: '2026-12-07T10:00:00.000Z',
  resolvedAt: null,
  readAt: null,
  ...overrides,
});

const alertPage = (items: AlertItem[], unread: number): AlertPage => ({
  items,
  total: items.length,
  page: 1,
  limit: 20,
  unread,
});

describe('AlertsPage', () => {
  let fixture: ComponentFixture<AlertsPage>;
  let backend: HttpTestingController;

  async function render(
    role: Role,
    settings: AlertSettings | null = SETTINGS,
    alerts: AlertPage = alertPage([], 0),
  ): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AlertsPage);
    await fixture.whenStable();
    if (settings) {
      backend.expectOne('/api/v1/alerts/settings').flush(settings);
    }
    backend.expectOne('/api/v1/alerts?page=1&limit=20').flush(alerts);
    await settle();
  }

  const input = (id: string) => byTestId(fixture, `input-${id}`) as HTMLInputElement;

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  it('shows each condition with its switch and threshold, and saves the whole document', async () => {
    await render('admin');
    const switches = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-condition] mat-slide-toggle'),
    ).map((element) => text(element));
    expect(switches).toHaveLength(8);
    expect(switches).toContain('События ждут обработки слишком долго');
    expect(switches).toContain('Импорт файла не удался');
    expect(input('inboxLagMinutes').value).toBe('15');
    expect(input('noWebhookHours').value).toBe('4');
    expect(input('timeZone').value).toBe('Europe/Moscow');

    byTestId(fixture, 'switch-amocrmWebhook').querySelector('button')?.click();
    byTestId(fixture, 'switch-noWebhook').querySelector('button')?.click();
    typeInto(input('inboxLagMinutes'), '30');
    typeInto(input('noWebhookHours'), '2');
    typeInto(input('workingHoursTo'), '20');
    typeInto(input('timeZone'), 'Asia/Yekaterinburg');
    byTestId(fixture, 'day-6').querySelector('button')?.click();
    byTestId(fixture, 'day-1').querySelector('button')?.click();
    typeInto(input('telegramChatId'), '@sales_alerts');
    byTestId(fixture, 'alert-settings-save').click();
    await settle();

    const put = backend.expectOne('/api/v1/alerts/settings');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({
      amocrmConnection: true,
      lptrackerConnection: true,
      amocrmWebhook: false,
      deadLetter: true,
      deadLetterCount: 1,
      inboxLag: true,
      inboxLagMinutes: 30,
      mappingBroken: true,
      importFailed: true,
      noWebhook: true,
      noWebhookHours: 2,
      workingDays: [2, 3, 4, 5, 6],
      workingHoursFrom: 9,
      workingHoursTo: 20,
      timeZone: 'Asia/Yekaterinburg',
      telegramChatId: '@sales_alerts',
    });
    put.flush({ ...SETTINGS, amocrmWebhook: false, inboxLagMinutes: 30, telegramChatId: '@sales_alerts' });
    await settle();
    expect(snackBarText()).toContain('Настройки оповещений сохранены');
  }, 20_000);

  it('never shows the bot token: only whether one is set; a new one is sent once and the field cleared', async () => {
    await render('admin');
    expect(input('telegramBotToken').value).toBe('');
    expect(input('telegramBotToken').type).toBe('password');
    expect(text(byTestId(fixture, 'token-state'))).toBe('Токен задан. Чтобы заменить его, впишите новый.');

    typeInto(input('telegramBotToken'), TOKEN);
    byTestId(fixture, 'alert-settings-save').click();
    await settle();
    const put = backend.expectOne('/api/v1/alerts/settings');
    expect(put.request.body).toMatchObject({ telegramBotToken: TOKEN, telegramChatId: '-1001234567890' });
    put.flush(SETTINGS);
    await settle();
    expect(input('telegramBotToken').value).toBe('');
    expect((fixture.nativeElement as HTMLElement).innerHTML).not.toContain(TOKEN);

    byTestId(fixture, 'token-remove').click();
    const remove = backend.expectOne('/api/v1/alerts/settings');
    expect(remove.request.body).toEqual({ telegramBotToken: null });
    remove.flush({ ...SETTINGS, tokenSet: false });
    await settle();
    expect(text(byTestId(fixture, 'token-state'))).toBe('Токен не задан.');
    expect(queryTestId(fixture, 'token-remove')).toBeNull();
  });

  it('sends a test message and shows what happened', async () => {
    await render('admin');
    byTestId(fixture, 'telegram-test').click();
    const sent = backend.expectOne('/api/v1/alerts/telegram/test');
    expect(sent.request.method).toBe('POST');
    sent.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(text(byTestId(fixture, 'telegram-test-result'))).toBe(
      'Сообщение отправлено. Проверьте чат в Telegram.',
    );

    byTestId(fixture, 'telegram-test').click();
    backend
      .expectOne('/api/v1/alerts/telegram/test')
      .flush(...problem(502, { type: 'telegram-failed', detail: 'Telegram refused the bot token' }));
    await settle();
    expect(text(byTestId(fixture, 'telegram-test-result'))).toBe(
      'Telegram не принял сообщение: Telegram refused the bot token',
    );

    byTestId(fixture, 'telegram-test').click();
    backend
      .expectOne('/api/v1/alerts/telegram/test')
      .flush(
        ...problem(409, { type: 'telegram-not-set', detail: 'Set the Telegram bot token and chat id first' }),
      );
    await settle();
    expect(text(byTestId(fixture, 'telegram-test-result'))).toBe(
      'Сначала сохраните токен бота и номер чата.',
    );
  });

  it('shows the field errors of a 400 next to their fields', async () => {
    await render('admin');
    typeInto(input('telegramBotToken'), 'not-a-token');
    typeInto(input('inboxLagMinutes'), '5000');
    byTestId(fixture, 'alert-settings-save').click();
    backend.expectOne('/api/v1/alerts/settings').flush(
      ...problem(400, {
        type: 'validation-errors',
        errors: [
          { field: 'inboxLagMinutes', message: 'inboxLagMinutes must be a whole number from 1 to 1440' },
          {
            field: 'telegramBotToken',
            message: 'telegramBotToken must look like 123456789:AA… (the token @BotFather gives)',
          },
        ],
      }),
    );
    await settle();
    expect(text(byTestId(fixture, 'error-inboxLagMinutes'))).toBe(
      'inboxLagMinutes must be a whole number from 1 to 1440',
    );
    expect(text(byTestId(fixture, 'error-telegramBotToken'))).toContain('telegramBotToken must look like');
    expect(queryTestId(fixture, 'alert-settings-error')).toBeNull();
  });

  it('lets a manager read the alerts and mark them read, but not see or change the settings', async () => {
    await render(
      'manager',
      null,
      alertPage(
        [
          alert(),
          alert({
            id: '0190a000-0000-7000-8000-000000000002',
            state: 'resolved',
            title: 'Есть события, которые не удалось обработать',
            resolvedAt: '2026-12-07T10:30:00.000Z',
            readAt: '2026-12-07T10:31:00.000Z',
          }),
        ],
        1,
      ),
    );
    expect(queryTestId(fixture, 'alert-settings')).toBeNull();
    expect(text(byTestId(fixture, 'alert-settings-read-only'))).toBe(
      'Настройки оповещений меняет администратор.',
    );
    const rows = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="alert-row"]'),
    );
    expect(rows.map((row) => text(row))).toEqual([
      expect.stringContaining('не решено amoCRM: уведомления не подключены'),
      expect.stringContaining('решено Есть события, которые не удалось обработать'),
    ]);
    expect(rows[0].classList).toContain('unread');
    expect(rows[1].classList).not.toContain('unread');
    expect(rows[1].querySelector('[data-testid="alert-mark-read"]')).toBeNull();
    expect(rows[0].querySelector('[data-testid="alert-open"]')?.getAttribute('href')).toBe(
      '/connections/amocrm',
    );
    expect(text(byTestId(fixture, 'alerts-unread'))).toBe('Непрочитанных: 1');

    byTestId(fixture, 'alert-mark-read').click();
    const read = backend.expectOne('/api/v1/alerts/0190a000-0000-7000-8000-000000000001/read');
    expect(read.request.method).toBe('POST');
    read.flush(alert({ readAt: '2026-12-07T10:40:00.000Z' }));
    await settle();
    expect(text(byTestId(fixture, 'alerts-unread'))).toBe('Непрочитанных: 0');
    expect(queryTestId(fixture, 'alert-mark-read')).toBeNull();
  });

  it('says so when there are no alerts', async () => {
    await render('viewer', null);
    expect(text(byTestId(fixture, 'alerts-list-empty'))).toBe('Оповещений пока нет. Всё работает.');
  });
});
