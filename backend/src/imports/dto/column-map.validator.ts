import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isPrototypeKey } from '../../http/prototype-keys';

export const MAX_MAPPED_COLUMNS = 500;

/** Why a `{<column>: <field>}` object is refused, or null when it is fine. */
export function columnMapProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'must be an object {"<column name>": "<field>"}';
  const entries = Object.entries(value);
  if (entries.length > MAX_MAPPED_COLUMNS) return `must map at most ${MAX_MAPPED_COLUMNS} columns`;
  for (const [column, field] of entries) {
    if (isPrototypeKey(column)) return `must not use "${column}" as a column name`;
    if (column.length === 0 || column.length > 200) return 'column names must have 1 to 200 characters';
    if (typeof field !== 'string' || field.length === 0 || field.length > 64)
      return `"${column.slice(0, 100)}" must be mapped to a field name (text, 1 to 64 characters)`;
  }
  return null;
}

/**
 * `{<column name>: <field>}`. Use with `@Transform(({ obj }) => obj.<property>)`, so the validator sees the
 * parsed JSON itself (class-transformer would drop a `__proto__` key silently instead of letting it be refused).
 */
export function IsColumnMap(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isColumnMap',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args) => `${args.property} ${columnMapProblem(args.value) ?? 'is invalid'}`,
        ...options,
      },
      validator: { validate: (value: unknown) => columnMapProblem(value) === null },
    });
}
