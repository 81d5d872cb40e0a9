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

  it('reads a key the same way every time it comes back (key paths are remembered under the default limits only)', () => {
    const body =
      'leads%5Bstatus%5D%5B0%5D%5Bid%5D=7&leads%5Bstatus%5D%5B0%5D%5Btags%5D%5B%5D=a&leads%5Bstatus%5D%5B0%5D%5Btags%5D%5B%5D=b';
    const expected = { leads: { status: [{ id: '7', tags: ['a', 'b'] }] } };
    expect(plain(parseNestedForm(body))).toEqual(expected);
    expect(plain(parseNestedForm(body))).toEqual(expected);
    // known under the defaults, too deep or too long under a caller's own limits
    expect(() => parseNestedForm(body, { maxDepth: 3 })).toThrow(
      expect.objectContaining({ code: 'too_deep' }),
    );
    expect(() => parseNestedForm('leads%5Bstatus%5D%5B0%5D%5Bid%5D=7', { maxKeyLength: 10 })).toThrow(
      expect.objectContaining({ code: 'key_too_long' }),
    );
    // a refused key stays refused, and a key that conflicts with a remembered one is still a conflict
    for (let round = 0; round < 2; round++) {
      expect(() => parseNestedForm('a%5B__proto__%5D=1')).toThrow(
        expect.objectContaining({ code: 'forbidden_key' }),
      );
      expect(() => parseNestedForm('leads=1&leads%5Bstatus%5D%5B0%5D%5Bid%5D=7')).toThrow(
        expect.objectContaining({ code: 'conflicting_keys' }),
      );
    }
  });
});
