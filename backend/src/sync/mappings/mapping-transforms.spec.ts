import {
  applyTransform,
  formatDate,
  isDateFormat,
  MAX_TEMPLATE_OUTPUT,
  parseLptrackerDate,
} from './mapping-transforms';

const none = () => null;

describe('mapping transforms', () => {
  it('parses every LPTracker date form (Moscow time when no zone is given)', () => {
    expect(parseLptrackerDate('13.05.2017 01:08')?.toISOString()).toBe('2017-05-12T22:08:00.000Z');
    expect(parseLptrackerDate('13.05.17 01:08:14')?.toISOString()).toBe('2017-05-12T22:08:14.000Z');
    expect(parseLptrackerDate('01.12.2026')?.toISOString()).toBe('2026-11-30T21:00:00.000Z');
    expect(parseLptrackerDate(1764547200)?.toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(parseLptrackerDate('1764547200000')?.toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(parseLptrackerDate('2026-12-07T10:00:00Z')?.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(parseLptrackerDate('31.02.2024 10:00')).toBeNull();
    expect(parseLptrackerDate('вчера')).toBeNull();
  });

  it('formats dates as unix seconds or a pattern', () => {
    const date = new Date('2017-05-12T22:08:14Z');
    expect(formatDate(date, 'unix')).toBe(1494626894);
    expect(formatDate(date, 'DD.MM.YYYY HH:mm')).toBe('13.05.2017 01:08');
    expect(isDateFormat('DD.MM.YYYY')).toBe(true);
    expect(isDateFormat('%s; rm -rf')).toBe(false);
  });

  it('applies number, phone, lowercase, trim and enum maps (case-insensitive)', () => {
    expect(applyTransform({ type: 'number' }, '1 500,50', none)).toEqual({ ok: true, value: 1500.5 });
    expect(applyTransform({ type: 'number' }, 'abc', none)).toMatchObject({ ok: false, code: 'notANumber' });
    expect(applyTransform({ type: 'phone' }, '8 (916) 123-45-67', none)).toEqual({
      ok: true,
      value: '+79161234567',
    });
    expect(applyTransform({ type: 'phone' }, '123', none)).toMatchObject({ ok: false, code: 'notAPhone' });
    expect(applyTransform({ type: 'lowercase' }, ' A@B.RU ', none)).toEqual({ ok: true, value: 'a@b.ru' });
    expect(applyTransform({ type: 'trim' }, '   ', none)).toEqual({ ok: true, value: null });
    const map = { type: 'enum_map' as const, map: [{ from: ' Москва ', to: 7001 }] };
    expect(applyTransform(map, 'МОСКВА', none)).toEqual({ ok: true, value: 7001 });
    expect(applyTransform(map, 'Тверь', none)).toMatchObject({ ok: false, code: 'enumNoMatch' });
  });

  it('fills templates from source fields without evaluating anything, and caps the output', () => {
    const resolve = (ref: string) =>
      ({ 'contact.name': 'Ольга', 'view.source': '${process.exit()}' })[ref] ?? null;
    expect(
      applyTransform(
        { type: 'template', template: '{contact.name} — {view.source} {view.keyword}' },
        null,
        resolve,
      ),
    ).toEqual({
      ok: true,
      value: 'Ольга — ${process.exit()}',
    });
    const long = applyTransform({ type: 'template', template: '{contact.name}'.repeat(1000) }, null, resolve);
    expect(long.ok && typeof long.value === 'string' && long.value.length).toBe(MAX_TEMPLATE_OUTPUT);
  });
});
