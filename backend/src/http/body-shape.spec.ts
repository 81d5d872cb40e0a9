import { BODY_MAX_DEPTH, BODY_MAX_KEYS_PER_OBJECT, BODY_MAX_TOTAL_KEYS, checkBodyShape } from './body-shape';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('checkBodyShape', () => {
  it('accepts ordinary bodies and scalars', () => {
    expect(checkBodyShape({ email: 'a@b.c', tags: ['x'], contact: { phone: '+7' } })).toBeNull();
    expect(checkBodyShape(undefined)).toBeNull();
    expect(checkBodyShape('text')).toBeNull();
    expect(checkBodyShape(nested(BODY_MAX_DEPTH))).toBeNull();
  });

  it('refuses a body nested deeper than the bound, however deep, without recursion', () => {
    expect(checkBodyShape(nested(BODY_MAX_DEPTH + 1))).toEqual({ kind: 'too-deep', limit: BODY_MAX_DEPTH });
    expect(checkBodyShape(nested(200_000))).toEqual({ kind: 'too-deep', limit: BODY_MAX_DEPTH });
  });

  it('refuses an object with too many keys and a body with too many entries in all', () => {
    const wide = Object.fromEntries(
      Array.from({ length: BODY_MAX_KEYS_PER_OBJECT + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(checkBodyShape({ wide })?.kind).toBe('object-too-large');
    const rows = Math.ceil(BODY_MAX_TOTAL_KEYS / BODY_MAX_KEYS_PER_OBJECT) + 1;
    const many = Array.from({ length: rows }, () => new Array<number>(BODY_MAX_KEYS_PER_OBJECT).fill(0));
    expect(checkBodyShape(many)?.kind).toBe('too-many-keys');
  });
});
