import { TestBed } from '@angular/core/testing';

import { I18nService } from '../core/i18n/i18n.service';
import { formatAge } from '../shared/format-age';
import {
  eventEntityIds,
  eventTypeLabel,
  formatDuration,
  sourceLabel,
  statusLabel,
  summaryEntityIds,
  type Translate,
} from './event-labels';
import type { EventListItem } from './events.models';

describe('event labels', () => {
  let t: Translate;

  beforeEach(() => {
    localStorage.clear();
    const i18n = TestBed.inject(I18nService);
    t = i18n.t.bind(i18n);
  });

  it('names event types in everyday words and keeps unknown ones as they are', () => {
    expect(eventTypeLabel('leads.status', t)).toBe('Сделка: смена этапа');
    expect(eventTypeLabel('lead.update', t)).toBe('Сделка: изменение');
    expect(eventTypeLabel('contacts.update', t)).toBe('Контакт: изменение');
    expect(eventTypeLabel('status_lead', t)).toBe('Сделка: смена этапа');
    expect(eventTypeLabel('add_contact', t)).toBe('Контакт: создание');
    expect(eventTypeLabel('mixed', t)).toBe('Несколько изменений');
    // the events of the service's own writes (sources api, import)
    expect(eventTypeLabel('lead.created', t)).toBe('Сделка: создание');
    expect(eventTypeLabel('lead.stage_changed', t)).toBe('Сделка: смена этапа');
    expect(eventTypeLabel('contact.updated', t)).toBe('Контакт: изменение');
    expect(sourceLabel('api', t)).toBe('Запись через API');
    expect(sourceLabel('import', t)).toBe('Импорт');
    expect(sourceLabel('lptracker-reconcile', t)).toBe('lptracker-reconcile');
    expect(eventTypeLabel('lptracker.call_finished', t)).toBe('lptracker.call_finished');
    TestBed.inject(I18nService).setLang('en');
    expect(eventTypeLabel('leads.status', t)).toBe('Lead: stage changed');
  });

  it('words statuses, skipped ones with their reason', () => {
    expect(statusLabel('done', null, t)).toBe('готово');
    expect(statusLabel('dismissed', null, t)).toBe('отклонено вручную');
    expect(statusLabel('skipped', 'duplicate', t)).toBe('пропущено: дубль');
    expect(statusLabel('skipped', 'echo', t)).toBe('пропущено: наше же изменение');
    expect(statusLabel('skipped', 'filtered', t)).toBe('пропущено: отфильтровано');
  });

  it('finds entity ids in the summary, or in the idempotency keys of a full event', () => {
    expect(summaryEntityIds({ changes: 2, entities: ['31', '32'], account: 'acme' })).toEqual(['31', '32']);
    expect(summaryEntityIds({ leads: 2, leadId: 7 })).toEqual(['7']);
    const event = { summary: {}, keys: ['lead:status:31:1700000000', '55:9001:call:1700000000'] };
    expect(eventEntityIds(event as unknown as EventListItem & { keys: string[] })).toEqual(['31', '9001']);
  });

  it('writes durations and ages readably', () => {
    expect(formatDuration(12.4, 'ru-RU', t)).toBe('12 мс');
    expect(formatDuration(1500, 'ru-RU', t)).toBe('1,5 с');
    expect(formatAge(75, 'ru-RU', t)).toBe('1 мин 15 с');
    expect(formatAge(7500, 'ru-RU', t)).toBe('2 ч 5 мин');
  });
});
