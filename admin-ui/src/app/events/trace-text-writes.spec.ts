import { traceReasonText, traceStepText } from './trace-text';

describe('trace text of the service’s own writes (sources api and import)', () => {
  it('names the origin and the events in Russian', () => {
    expect(traceStepText('api: lead.created, contact.created', true)).toBe(
      'Запись через API: сделка создана, контакт создан',
    );
    expect(traceStepText('import: lead.updated, lead.stage_changed', true)).toBe(
      'Строка импорта: сделка изменена, сменился этап сделки',
    );
  });

  it('says why no rule acted', () => {
    expect(traceReasonText('no enabled rule for the source import')).toBe(
      'нет включённых правил для импорта',
    );
    expect(traceReasonText('no rule of the source api matched')).toBe('ни одно правило не подошло');
    expect(traceReasonText('the contact is no longer here')).toBe('контакта уже нет в сохранённых данных');
  });
});
