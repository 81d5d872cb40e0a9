import { prototypeKeyPath } from './prototype-keys';

describe('prototypeKeyPath', () => {
  it('names the object holding the first prototype-like key, by its dotted path', () => {
    expect(prototypeKeyPath({ constructor: 1 })).toEqual({ parent: '', key: 'constructor' });
    expect(prototypeKeyPath({ a: { b: [{ ok: 1 }, { prototype: 2 }] } })).toEqual({
      parent: 'a.b.1',
      key: 'prototype',
    });
    expect(prototypeKeyPath(JSON.parse('{"x":{"y":{"__proto__":{}}}}'))).toEqual({
      parent: 'x.y',
      key: '__proto__',
    });
  });

  it('answers null for clean values and scalars, and walks a very deep value without overflowing', () => {
    expect(prototypeKeyPath({ a: [1, 'b', null, { c: { d: true } }] })).toBeNull();
    expect(prototypeKeyPath('constructor')).toBeNull();
    let deep: Record<string, unknown> = { constructor: 1 };
    for (let i = 0; i < 50_000; i++) deep = { n: deep };
    expect(prototypeKeyPath(deep)?.key).toBe('constructor');
    expect(prototypeKeyPath(deep)?.parent.split('.')).toHaveLength(50_000);
  });
});
