import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationProblem, type FieldError } from './problem';

/**
 * A query DTO may take the common shape of a hot route's query without class-transformer and class-validator: its
 * static `fastQuery(query)` answers the DTO exactly as the checks below would, or null to have them run.
 */
export interface FastQuery {
  fastQuery(query: unknown): object | null;
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'query' &&
      typeof metadata.metatype === 'function' &&
      'fastQuery' in metadata.metatype
    ) {
      const fast = (metadata.metatype as unknown as FastQuery).fastQuery(value);
      if (fast !== null) return fast;
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: unknown fields are refused, values are transformed to the DTO types, errors name each field. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      code: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not an accepted field` : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
