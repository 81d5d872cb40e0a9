import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A string (≤ 10,000 characters), a finite number or a boolean. */
export function IsScalar(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isScalar',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a text, a number or true/false`, ...options },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.length <= 10_000) ||
          (typeof value === 'number' && Number.isFinite(value)) ||
          typeof value === 'boolean',
      },
    });
}
