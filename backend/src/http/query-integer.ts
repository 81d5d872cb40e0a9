import { Transform } from 'class-transformer';

/**
 * A whole number from a query string, written in plain decimal digits (`12`, not `1e1`, `0x0c` or `12.0`).
 * Anything else (repeated parameters, empty text, exponents, huge numbers) becomes NaN, which `@IsInt()`
 * then refuses with a 400 naming the parameter: no Infinity or NaN ever reaches a query.
 */
export function QueryInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string' || !/^[+-]?\d{1,16}$/.test(value.trim())) return Number.NaN;
    return Number(value.trim());
  });
}
