import type { FieldError } from '../../http/problem';
import { isPrototypeKey } from '../../http/prototype-keys';

/** Collects field errors with their paths while a rule body is read. */
export class RuleInput {
  readonly errors: FieldError[] = [];

  add(field: string, message: string, code: string): void {
    if (this.errors.length < 100) this.errors.push({ field, message, code });
  }

  /** A plain object (null when not: error recorded); keys not `allowed` and prototype keys are recorded as errors. */
  object(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path || 'body', `${path || 'the body'} must be an object`, 'type');
      return null;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const at = path ? `${path}.${key}` : key;
      if (isPrototypeKey(key)) {
        this.add(at, `${key} is not an allowed key`, 'forbidden_key');
      } else if (!allowed.includes(key)) {
        this.add(at, `${at} is not a known property`, 'unknown_property');
      }
    }
    return record;
  }

  /** A string, trimmed, of 1..max characters (or empty when `allowEmpty`). */
  text(value: unknown, path: string, max: number, allowEmpty = false): string | null {
    if (typeof value !== 'string') {
      this.add(path, `${path} must be text`, 'type');
      return null;
    }
    const trimmed = value.trim();
    if (!allowEmpty && trimmed.length === 0) {
      this.add(path, `${path} must not be empty`, 'required');
      return null;
    }
    if (trimmed.length > max) {
      this.add(path, `${path} must be at most ${max} characters`, 'maxLength');
      return null;
    }
    return trimmed;
  }

  /** A whole number in [min, max]. */
  integer(value: unknown, path: string, min: number, max: number): number | null {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.add(path, `${path} must be a whole number from ${min} to ${max}`, 'type');
      return null;
    }
    return value;
  }

  /** An id (positive whole number), or null when null is allowed and given. */
  id(value: unknown, path: string, nullable: boolean): number | null | undefined {
    if (value === null || value === undefined) {
      if (nullable) return null;
      this.add(path, `${path} is required`, 'required');
      return undefined;
    }
    return this.integer(value, path, 1, Number.MAX_SAFE_INTEGER) ?? undefined;
  }

  boolean(value: unknown, path: string): boolean | null {
    if (typeof value !== 'boolean') {
      this.add(path, `${path} must be true or false`, 'type');
      return null;
    }
    return value;
  }

  /** An array of at most `max` items, or null (error recorded). */
  array(value: unknown, path: string, max: number): unknown[] | null {
    if (!Array.isArray(value)) {
      this.add(path, `${path} must be a list`, 'type');
      return null;
    }
    if (value.length > max) {
      this.add(path, `${path} may hold at most ${max} items`, 'maxItems');
      return null;
    }
    return value as unknown[];
  }
}
