import { FormParseError, parseNestedForm } from './nested-form';

/** The parts of the shared form parser the amoCRM webhook spec does not reach: its options. */
describe('parseNestedForm', () => {
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  it('turns index-keyed groups into arrays, except the groups named keyed', () => {
    const body = 'a[1]=x&a[0]=y&ids[20]=p&ids[10]=q';
    expect(plain(parseNestedForm(body))).toEqual({ a: ['y', 'x'], ids: ['q', 'p'] });
    expect(plain(parseNestedForm(body, { keyedGroups: new Set(['ids']) }))).toEqual({
      a: ['y', 'x'],
      ids: { 10: 'q', 20: 'p' },
    });
  });

  it('keeps every group an object with arrays: false, as PHP does', () => {
    const parsed = parseNestedForm('filter[id][]=1&filter[id][]=2&filter[statuses][3][status_id]=142', {
      arrays: false,
    });
    expect(plain(parsed)).toEqual({
      filter: { id: { 0: '1', 1: '2' }, statuses: { 3: { status_id: '142' } } },
    });
    expect(Array.isArray((parsed.filter as Record<string, unknown>).id)).toBe(false);
  });

  it('drops only the bad pairs with skipBadKeys, and still refuses a body over the caps', () => {
    const body = 'ok=1&__proto__[x]=1&a[b=2&a=1&a[c]=2&deep[1][2][3]=4&x[constructor]=y';
    expect(() => parseNestedForm(body)).toThrow(FormParseError);
    const parsed = parseNestedForm(body, { skipBadKeys: true, maxDepth: 3 });
    expect(plain(parsed)).toEqual({ ok: '1', a: '1' });
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const many = Array.from({ length: 11 }, (_, i) => `k${i}=1`).join('&');
    expect(() => parseNestedForm(many, { skipBadKeys: true, maxKeys: 10 })).toThrow(
      expect.objectContaining({ code: 'too_many_keys' }),
    );
  });
});
