import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from './env.schema';

/**
 * The names of every variable the service reads, derived from the schema class (each of its properties carries at
 * least `@IsOptional()`; optional class fields leave no runtime keys, so the validation metadata is the source).
 */
export const ENVIRONMENT_VARIABLE_NAMES: readonly string[] = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
      .map((metadata) => metadata.propertyName),
  ),
];
